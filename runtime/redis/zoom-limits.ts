/**
 * Zoom's account-wide per-second limits by rate-limit label and plan (Zoom's "Rate limits" page), and
 * which labels share a daily cap. Resource-intensive is limited per minute, given here per second.
 */
export type ZoomPlan = "pro" | "business";

/** Requests per second, account-wide, per label. "business" is Business, Education, Enterprise and Partners. */
export const ZOOM_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<string, number>>>> = {
  pro: { Light: 30, Medium: 20, Heavy: 10, "Resource-intensive": 10 / 60 },
  business: { Light: 80, Medium: 60, Heavy: 40, "Resource-intensive": 20 / 60 },
};

/** Labels that draw from one daily cap: hitting it for one blocks the others too. */
export const ZOOM_SHARED_DAILY_LIMITS: readonly (readonly string[])[] = [["Heavy", "Resource-intensive"]];
