// Preloaded with `--import`: lets Node import .svelte page components (compiled for the server).
import { register } from 'node:module';

register('./svelte-hooks.mjs', import.meta.url);
