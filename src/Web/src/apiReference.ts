// The interactive HTTP API page (admins): Scalar's bundle is served by the Host (/scalar/scalar.js, from the
// Scalar.AspNetCore package); this module points it at /openapi/v1.json. No inline script (CSP default-src 'self').
declare global {
  interface Window { Scalar?: { createApiReference: (selector: string, config: Record<string, unknown>) => unknown } }
}

const target = '#api-reference';
if (window.Scalar) {
  window.Scalar.createApiReference(target, { url: '/openapi/v1.json', withDefaultFonts: false, hideClientButton: false, title: 'Telephony HTTP API' });
} else {
  document.querySelector(target)!.textContent = 'The API reference needs an admin session: sign in at / as an admin, then reload. The description itself is at /openapi/v1.json.';
}
export {};
