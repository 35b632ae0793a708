// Strings of the case inbox and the case page (nl and en carry the same keys).
const nl = {};

const en: typeof nl = {};

export const casework = { nl, en };
