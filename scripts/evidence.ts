import { retentionTimeline } from '../lib/retention/timeline';
import { exitWith, runCommand } from './lib/cli';
import { EVIDENCE_SPEC, evidenceMain } from './evidence/commands';

if (require.main === module)
  exitWith(runCommand(EVIDENCE_SPEC, (values, io) => evidenceMain(values, io, { timelineOf: retentionTimeline })));
