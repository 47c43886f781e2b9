import { retentionTimeline } from '../lib/retention/timeline';
import { exitWith, runCommand } from './lib/cli';
import { COST_SPEC, costMain } from './evidence/commands';

if (require.main === module)
  exitWith(runCommand(COST_SPEC, (values, io) => costMain(values, io, { timelineOf: retentionTimeline })));
