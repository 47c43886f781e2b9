import { MEDIA_POLICY_KEYS, Models, PolicyBody } from '../shared/genesys/wire';
import { ExportPolicyProperties } from './event';

/** A refusal: the deploy fails with this one sentence. */
export class ExportPolicyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportPolicyRefused';
  }
}

/** Shown in Genesys, so that nobody edits the policy there. */
export const POLICY_DESCRIPTION =
  'Managed by recording-archive (CloudFormation): exports recordings to the archive bucket; changes made here are overwritten on the next deploy.';

/**
 * The policy body the app writes (SDK model PolicyCreate): every matching recording is kept and
 * exported to the integration; with DeleteNativeCopy, Genesys deletes its copy after the platform
 * window. Refuses what could delete a recording before it is exported (T2): a window under one day.
 */
export function policyBody(props: ExportPolicyProperties): PolicyBody {
  const days = Number(props.DeleteRetentionDays);
  const deleteNativeCopy = props.DeleteNativeCopy === 'true';
  if (deleteNativeCopy && days < 1) {
    throw new ExportPolicyRefused(
      `The export policy ${props.PolicyName} would delete Genesys's native copy after ${days} days, before the export could be checked (T2); set genesys.platformRetentionDays to the platform window, or genesysIntegration.exportPolicy.deleteNativeCopy to false.`,
    );
  }
  if (props.Directions.length && props.MediaTypes.some((m) => m !== 'call')) {
    throw new ExportPolicyRefused(
      `The export policy ${props.PolicyName} has directions, which Genesys applies to calls only; remove genesysIntegration.exportPolicy.conditions.directions or set mediaTypes to ['call'].`,
    );
  }
  const actions: Models.PolicyActions = {
    retainRecording: true,
    deleteRecording: false,
    alwaysDelete: false,
    integrationExport: {
      integration: { id: props.IntegrationId },
      shouldExportScreenRecordings: props.ShouldExportScreenRecordings === 'true',
    },
    ...(deleteNativeCopy ? { retentionDuration: { deleteRetention: { days } } } : {}),
  };
  const forQueues = props.Queues.map((q) => ({ id: q.Id, name: q.Name }));
  const wrapupCodes = props.WrapupCodes.map((w) => ({ id: w.Id, name: w.Name }));
  const common = {
    ...(forQueues.length ? { forQueues } : {}),
    ...(wrapupCodes.length ? { wrapupCodes } : {}),
  };
  const mediaPolicies: Models.MediaPolicies = {};
  for (const media of props.MediaTypes) {
    const conditions =
      media === 'call' && props.Directions.length ? { ...common, directions: [...props.Directions] } : common;
    mediaPolicies[MEDIA_POLICY_KEYS[media]] = { actions, conditions };
  }
  return { name: props.PolicyName, description: POLICY_DESCRIPTION, enabled: true, mediaPolicies };
}
