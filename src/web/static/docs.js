/**
 * /docs: the interactive API reference, Swagger UI (served from /assets/vendor, set on window.SwaggerUIBundle by
 * the classic script before this module runs) reading this service's own /openapi.json. No CDN, no validator badge
 * (it would call an outside host), no inline script (the CSP allows 'self' only).
 */
const SwaggerUIBundle = window.SwaggerUIBundle;
if (SwaggerUIBundle) {
  SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    onComplete: () => {
      document.body.dataset.docsReady = 'true';
    },
  });
}
