import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CliError } from './cli';

/** The queue URLs the Connect stack outputs for `ctr:redrive`. */
export interface ConnectQueueUrls {
  readonly parkedQueueUrl: string;
  readonly shardFailureQueueUrl: string;
}

/** Reads a stack's outputs; tests pass their own. */
export type StackOutputs = (stackName: string) => Promise<Readonly<Record<string, string>>>;

/** Stack outputs through CloudFormation DescribeStacks. */
export function cloudFormationOutputs(client: CloudFormationClient): StackOutputs {
  return async (stackName) => {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  };
}

/** The Connect stack's name for an environment (as lib/create-stacks.ts names it). */
export const connectStackName = (envName: string) => `RecordingArchive-${envName}-Connect`;

/** Finds the two queues of an environment's Connect stack, or says what to deploy. */
export async function connectQueueUrls(outputs: StackOutputs, envName: string): Promise<ConnectQueueUrls> {
  const stackName = connectStackName(envName);
  const values = await outputs(stackName);
  const get = (name: string) => {
    const value = values[name];
    if (!value)
      throw new CliError(
        `The stack ${stackName} has no output ${name}; deploy this version of the app to the ${envName} environment first.`,
      );
    return value;
  };
  return { parkedQueueUrl: get('ParkedCtrQueueUrl'), shardFailureQueueUrl: get('ShardFailureQueueUrl') };
}
