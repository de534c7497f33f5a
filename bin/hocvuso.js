#!/usr/bin/env node
// The compiled CLI; `npm start` and `npm run build` compile it into dist/.
import '../dist/main.js';
