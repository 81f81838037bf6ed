/**
 * Who sends the parcels (ご依頼主) and when the shop ships, as the owner writes it in the shop
 * profile (`shipping`), whose schema includes this one. Only the profile's content layer and the
 * owner's pages load it: the pure day arithmetic is shipping-days.ts, without zod.
 */
import { z } from 'astro/zod';
import { B2_CUSTOMER_CODE, B2_FREIGHT_NUMBER } from './b2-contract.ts';
import { WEEKDAYS } from './shipping-days.ts';

/** A calendar date, YYYY-MM-DD (ISO 8601 extended format), that exists. */
const isoDate = z.iso.date();

/** One closed day, or an inclusive range of them (the New Year break: `{ from: '2026-12-29', to: '2027-01-04' }`). */
const closedDays = z.union([
  isoDate,
  z
    .object({ from: isoDate, to: isoDate })
    .strict()
    .refine((range) => range.from <= range.to, { message: 'from must not be after to' }),
]);

/** An IANA time zone the runtime knows (`Intl.DateTimeFormat` throws a RangeError otherwise). */
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone' },
);

/** Printed on every label as ご依頼主, as the carriers ask for it. */
const sender = z
  .object({
    name: z.string().trim().min(1),
    /** 〒 code, seven digits with or without the hyphen (B2クラウド takes both). */
    postalCode: z.string().regex(/^\d{3}-?\d{4}$/, 'seven digits, e.g. 100-0001'),
    /** Prefecture, city and street number (B2クラウド ご依頼主住所). */
    address: z.string().trim().min(1),
    /** Building and room (B2クラウド ご依頼主アパートマンション), if any. */
    building: z.string().trim().min(1).optional(),
    /** A domestic number, digits and hyphens (03-1234-5678). */
    phone: z.string().regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, 'a domestic number, e.g. 03-1234-5678'),
  })
  .strict();

/** The owner's B2クラウド contract, printed on every B2 label; without it there is no B2 file. */
const b2Contract = z
  .object({
    customerCode: z.string().regex(B2_CUSTOMER_CODE, '10 to 12 digits (the contract phone number)'),
    freightNumber: z.string().regex(B2_FREIGHT_NUMBER, 'two digits, usually 01').default('01'),
    /** 送り状種類: 0 発払い, 7 ネコポス, 8 宅急便コンパクト. */
    slipType: z.enum(['0', '7', '8']).default('0'),
  })
  .strict();

export const shippingRulesSchema = z
  .object({
    /** The days of the week parcels leave. */
    weekdays: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .refine((days) => new Set(days).size === days.length, { message: 'each weekday once' }),
    /** Holidays and breaks: no parcel leaves, and no count of business days includes them. */
    closed: z.array(closedDays).default([]),
    /** Business days from the day a payment counts (see shipByDate) to the latest day it ships; 0 is the same day. */
    businessDaysToShip: z.number().int().min(0).max(30),
    /** Where the shop's days begin and end. */
    timeZone: timeZone.default('Asia/Tokyo'),
    /** A payment at or after this hour (shop time, 0–24) counts from the next business day; 24 never does. */
    closingHour: z.number().int().min(0).max(24).default(15),
    /** How many days before a renewal a subscriber's changes (skip, pause) close. */
    changeCutoffDays: z.number().int().min(0).max(30).default(3),
    sender,
    b2: b2Contract.optional(),
  })
  .strict();

export type ShippingRules = z.infer<typeof shippingRulesSchema>;
