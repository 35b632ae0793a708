// Strings of signing in (nl and en carry the same keys).
const nl = {
  mfaCodeTitle: "Tweede stap",
  mfaCode: "Code uit de authenticator-app",
  mfaCodeOrRecovery: "Code uit de authenticator-app of een herstelcode",
  mfaCodeHelp: "Zes cijfers uit de app. Telefoon kwijt? Gebruik een van uw herstelcodes; elke code werkt één keer.",
  mfaVerify: "Controleren",
  mfaStartOver: "Opnieuw beginnen",
  mfaEnrolTitle: "Tweede factor instellen",
  mfaEnrolIntro: "Uw rol vraagt bij het inloggen om een tweede factor. Zet deze sleutel in een authenticator-app (zoals FreeOTP, Aegis of Google Authenticator) en vul daarna de code in die de app toont.",
  mfaEnrolSecret: "Sleutel (wordt één keer getoond):",
  mfaEnrolOpenApp: "Open in de authenticator-app op dit apparaat",
  mfaEnrolCodeHelp: "De zes cijfers die de app nu toont.",
  mfaEnrolConfirm: "Instellen en inloggen",
  mfaRecoveryTitle: "Uw herstelcodes",
  mfaRecoveryHelp: "Bewaar deze tien codes op een veilige plek. Zonder telefoon logt u met één ervan in; elke code werkt één keer. Ze worden niet opnieuw getoond.",
  mfaRecoverySaved: "Ik heb de codes bewaard, verder",
};

const en: typeof nl = {
  mfaCodeTitle: "Second step",
  mfaCode: "Code from the authenticator app",
  mfaCodeOrRecovery: "Code from the authenticator app, or a recovery code",
  mfaCodeHelp: "Six digits from the app. Lost your phone? Use one of your recovery codes; each works once.",
  mfaVerify: "Verify",
  mfaStartOver: "Start over",
  mfaEnrolTitle: "Set up a second factor",
  mfaEnrolIntro: "Your role needs a second factor to sign in. Add this key to an authenticator app (such as FreeOTP, Aegis or Google Authenticator), then enter the code the app shows.",
  mfaEnrolSecret: "Key (shown once):",
  mfaEnrolOpenApp: "Open in the authenticator app on this device",
  mfaEnrolCodeHelp: "The six digits the app shows now.",
  mfaEnrolConfirm: "Set up and sign in",
  mfaRecoveryTitle: "Your recovery codes",
  mfaRecoveryHelp: "Keep these ten codes somewhere safe. Without your phone, sign in with one of them; each works once. They are not shown again.",
  mfaRecoverySaved: "I have saved the codes, continue",
};

export const login = { nl, en };
