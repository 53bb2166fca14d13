// The staff the console tests sign in as, by Telegram user id: the first test admin (ADMIN_IDS), a manager and a rep
// of each of two sibling teams (广州组, 深圳组), and a director. Each test file adds the ones it needs in chat.

export const ADMIN = '5123456789';
export const GZ_MANAGER = '5400000011';
export const SZ_MANAGER = '5400000012';
export const GZ_REP = '5400000005';
export const SZ_REP = '5400000007';
export const DIRECTOR = '5400000020';
