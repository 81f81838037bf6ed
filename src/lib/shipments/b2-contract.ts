/** B2クラウド's contract codes, as its layout (入出力用, No. 40 and 42) takes them: no dependencies, for the profile's schema and the B2 file. */

/** 請求先顧客コード (No. 40): 10–12 digits, the contract's phone number without hyphens. */
export const B2_CUSTOMER_CODE = /^\d{10,12}$/;
/** 運賃管理番号 (No. 42): 2 digits, usually 01. */
export const B2_FREIGHT_NUMBER = /^\d{2}$/;
