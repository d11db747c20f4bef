export const nested = true;
