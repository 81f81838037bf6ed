/**
 * The shop profile: who sells, how to reach them, and the terms of sale, in Japanese and English.
 * The legal pages are built from it (rows.ts, documents.ts). Its content is the owner's to write;
 * the schema only makes sure no item the commerce disclosure needs is missing.
 */
import { z } from 'astro/zod';
import { shippingRulesSchema } from '../shipments/shipping-rules.ts';

/** A text shown in both languages. */
const text = z.object({ ja: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();

export const shopProfileSchema = z
  .object({
    /** True for the demo's made-up profile: every page that shows it says so. */
    sample: z.boolean(),
    /** 販売業者: the registered trade name, or an individual's full legal name. */
    legalName: text,
    /** 運営統括責任者: the head of the business or a designated representative. */
    representative: text,
    /**
     * An individual seller may leave address and phone off the page and disclose them on request
     * (「請求があった場合は遅滞なく開示します」); a company must show both.
     */
    disclosesOnRequest: z.boolean(),
    address: text.optional(),
    phone: z.string().trim().min(1).optional(),
    email: z.email(),
    /** When the phone and e-mail are answered. */
    hours: text,
    /** 引き渡し時期: when each delivery ships. */
    delivery: text,
    /** 支払方法 and 支払時期: each accepted method and when it charges. */
    paymentMethods: z.array(z.object({ name: text, charged: text }).strict()).min(1),
    /** How a subscription is cancelled, by when, and when the cancellation takes effect. */
    cancellation: z.object({ how: text, deadline: text, effective: text }).strict(),
    /** 返品・交換: the customer's own returns, and defective or damaged goods. */
    returns: z.object({ customer: text, defective: text }).strict(),
    /** 商品代金以外の必要料金: shipping, fees. */
    otherCharges: text,
    /** When and from where parcels leave (ship-by dates, the labels' sender); absent for a shop that ships nothing. */
    shipping: shippingRulesSchema.optional(),
    /**
     * 適格請求書発行事業者登録番号: `T` and 13 digits, for a seller registered for qualified invoices; none for one
     * who is not. `npm run setup` registers it with Stripe as the account's `jp_trn` tax ID, which invoices and
     * receipts carry (docs.stripe.com/billing/customer/tax-ids lists `jp_trn`, example T1234567891234).
     */
    registrationNumber: z
      .string()
      .trim()
      .regex(/^T\d{13}$/, 'a registration number is T and 13 digits, such as T1234567890123')
      .optional(),
  })
  .strict()
  .superRefine((profile, ctx) => {
    if (profile.disclosesOnRequest) return;
    for (const field of ['address', 'phone'] as const)
      if (profile[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} is required unless disclosesOnRequest is true`,
        });
  });

export type ShopProfile = z.infer<typeof shopProfileSchema>;
export type LocalText = ShopProfile['legalName'];

/**
 * The profile, or an error naming every field that is wrong ("representative: required; email:
 * invalid email address"), for a profile read from anywhere but the content collection.
 */
export function parseShopProfile(data: unknown): { ok: true; profile: ShopProfile } | { ok: false; error: string } {
  const result = shopProfileSchema.safeParse(data);
  if (result.success) return { ok: true, profile: result.data };
  const error = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(profile)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, error: `Invalid shop profile: ${error}` };
}
