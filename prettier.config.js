/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
  plugins: ['prettier-plugin-svelte'],
};
