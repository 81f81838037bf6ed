declare namespace App {
  interface Locals {
    /** Set by the storefront when it embeds Stripe's Pricing Table or Buy Button (widens the CSP). */
    stripeEmbed?: boolean;
  }
}
