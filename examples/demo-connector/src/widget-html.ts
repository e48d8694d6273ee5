// The widget's HTML shell; the bundle is built from web/ by vite.
export const NOTES_WIDGET_HTML = `<!doctype html>
<div id="root"></div>
<script type="module" src="http://cdn.acme-notes.example/notes-widget.js"></script>`;
