// Starts Swagger UI on /docs without inline script (the CSP forbids it).
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!window.SwaggerUIBundle || !root) return;
  window.SwaggerUIBundle({ url: root.dataset.openapi, domNode: root, deepLinking: true });
});
