import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * The browser bundles (pages are rendered on the server): the survey pages' small enhancement, and the
 * dashboards' live charts (vega-embed in a Svelte component), which only the dashboard pages load.
 * `npm install` builds them (postinstall); the server serves them from dist/web.
 */
export default defineConfig({
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { enhance: 'web/enhance/enhance.ts', 'dashboard-charts': 'web/staff/dashboard-charts.ts' },
      output: { entryFileNames: '[name].js', chunkFileNames: '[name].js', format: 'es' },
    },
  },
});
