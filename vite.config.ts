import { defineConfig } from 'vite';

/**
 * The browser bundle: only the progressive enhancement of the survey pages (pages are rendered on
 * the server). `npm install` builds it (postinstall); the server serves dist/web/enhance.js.
 */
export default defineConfig({
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2019',
    reportCompressedSize: true,
    rollupOptions: {
      input: 'web/enhance/enhance.ts',
      output: { entryFileNames: '[name].js', format: 'es' },
    },
  },
});
