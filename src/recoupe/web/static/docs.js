/* recoupe: starts the bundled API documentation viewers (/docs: Swagger UI, /redoc: ReDoc) on
 * the app's own OpenAPI schema. A file, not an inline script, so the pages keep the app's CSP. */
(function () {
  "use strict";
  var spec = document.body.getAttribute("data-spec");
  var swagger = document.getElementById("swagger-ui");
  if (swagger && typeof SwaggerUIBundle !== "undefined") {
    window.ui = SwaggerUIBundle({url: spec, dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null,
                                 presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
  }
  var redoc = document.getElementById("redoc");
  if (redoc && typeof Redoc !== "undefined") {
    Redoc.init(spec, {disableSearch: true, expandResponses: "200"}, redoc);
  }
}());
