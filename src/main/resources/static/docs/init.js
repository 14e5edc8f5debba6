// The contract the service itself serves; "Try it out" calls this service. (A file of its
// own: the console's Content-Security-Policy allows no inline script.)
window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true });
