#!/usr/bin/env node
// Entry point of the `nightjar` command: runs the compiled CLI.
import '../dist/src/cli/main.js';
