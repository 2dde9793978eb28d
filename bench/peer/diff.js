// The peer: AWS CDK's diff engine (@aws-cdk/cloudformation-diff) on the same
// template pairs impact is timed on.  Usage: node diff.js OLD NEW [OLD NEW ...]
// Reads each pair of JSON templates, runs diffTemplate on it, and prints the
// number of changed resources; with PEER_PEAK=1 it also prints its peak
// resident memory.
'use strict';
const fs = require('fs');
const { diffTemplate } = require('@aws-cdk/cloudformation-diff');

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) {
  process.stderr.write('usage: node diff.js OLD NEW [OLD NEW ...]\n');
  process.exit(2);
}
let changed = 0;
for (let i = 0; i < args.length; i += 2) {
  const oldT = JSON.parse(fs.readFileSync(args[i], 'utf8'));
  const newT = JSON.parse(fs.readFileSync(args[i + 1], 'utf8'));
  const diff = diffTemplate(oldT, newT);
  changed += diff.resources.differenceCount;
}
process.stdout.write(`${changed} resources differ\n`);
if (process.env.PEER_PEAK) {
  // The peak resident set of this process (VmHWM). getrusage's maxRSS would
  // also count the process that started it: a child created by vfork keeps
  // its parent's high-water mark across exec.
  let peak = null;
  try {
    const m = fs.readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+)/m);
    if (m) peak = Number(m[1]);
  } catch (e) { /* no /proc */ }
  if (peak === null) peak = Math.round(process.resourceUsage().maxRSS);
  process.stderr.write(`peak_kib=${peak}\n`);
}
