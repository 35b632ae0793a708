// Strings of signing in (nl and en carry the same keys).
const nl = {};

const en: typeof nl = {};

export const login = { nl, en };
