/** /docs: the interactive reference of this API, Swagger UI over /openapi.json, with every asset from /assets. */
import type { Context } from 'hono';
import { htmlPage } from '../render.js';

function DocsPage(props: { lang: string }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>IKD service API — reference</title>
        <link rel="icon" href="/assets/icons/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/vendor/swagger-ui.css" />
      </head>
      <body>
        <noscript>
          <p>
            This reference needs JavaScript. The same description is at <a href="/openapi.json">/openapi.json</a>.
          </p>
        </noscript>
        <div id="swagger-ui"></div>
        {/* In document order: the bundle sets window.SwaggerUIBundle before the module runs (both are deferred). */}
        <script src="/assets/vendor/swagger-ui-bundle.js" defer></script>
        <script type="module" src="/assets/docs.js"></script>
      </body>
    </html>
  );
}

export const docsPage = (c: Context) => htmlPage(c, (p) => <DocsPage lang={p.lang} />);
