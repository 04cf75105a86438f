#!/usr/bin/env node
// Entry point of the `stratus` command: runs the compiled CLI (npm ci builds it through `prepare`).
import '../dist/cli/main.js';
