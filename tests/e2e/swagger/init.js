// The one operation, expanded with "Try it out" already on: the state in which a person can type a
// request body and press Execute, which the bench times as "interactive" (the console's counterpart
// is its mounted form).
window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  docExpansion: 'full',
  tryItOutEnabled: true,
  defaultModelsExpandDepth: -1,
});
