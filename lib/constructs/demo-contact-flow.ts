import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';

/** What the demo flow is built from. */
export interface DemoFlowInput {
  /** The queue the caller is transferred to. */
  readonly queueArn: string;
  /** The user-defined contact attribute the tagger reads (the retention tag key). */
  readonly tagKey: string;
  /** The two classes the caller chooses between: 1 for the first, 2 for the second. */
  readonly classes: readonly [string, string];
}

/** One action of a Flow language document. */
export interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly Transitions: {
    readonly NextAction?: string;
    readonly Errors?: ReadonlyArray<{ readonly NextAction: string; readonly ErrorType: string }>;
    readonly Conditions?: ReadonlyArray<{
      readonly NextAction: string;
      readonly Condition: { readonly Operator: 'Equals'; readonly Operands: readonly string[] };
    }>;
  };
}

/** A Flow language document (`Version` 2019-10-30). */
export interface FlowDocument {
  readonly Version: '2019-10-30';
  readonly StartAction: string;
  readonly Actions: readonly FlowAction[];
}

/**
 * The demo contact flow, like the Connect guide's: record agent and customer, ask the caller to
 * press 1 or 2, set the retention attribute to the first or second class, and transfer to the
 * queue. A timeout or any other key goes to the queue with no class set (the tagger then uses the
 * default class); a failed queue step disconnects. Action types and error names are the ones
 * public Connect flows use (aws-samples/sample-cdk-constructs-for-amazon-connect).
 */
export function demoFlowContent(input: DemoFlowInput): FlowDocument {
  const [first, second] = input.classes;
  const setClass = (id: string, value: string): FlowAction => ({
    Identifier: id,
    Type: 'UpdateContactAttributes',
    Parameters: { Attributes: { [input.tagKey]: value }, TargetContact: 'Current' },
    Transitions: { NextAction: 'set-queue', Errors: [{ NextAction: 'set-queue', ErrorType: 'NoMatchingError' }] },
  });
  return {
    Version: '2019-10-30',
    StartAction: 'record',
    Actions: [
      {
        Identifier: 'record',
        Type: 'UpdateContactRecordingBehavior',
        Parameters: { RecordingBehavior: { RecordedParticipants: ['Agent', 'Customer'] } },
        Transitions: { NextAction: 'choose-class' },
      },
      {
        Identifier: 'choose-class',
        Type: 'GetParticipantInput',
        Parameters: {
          Text: `This call is recorded. For ${first} retention, press 1. For ${second} retention, press 2.`,
          StoreInput: 'False',
          InputTimeLimitSeconds: '5',
        },
        Transitions: {
          NextAction: 'set-queue',
          Conditions: [
            { NextAction: 'set-first-class', Condition: { Operator: 'Equals', Operands: ['1'] } },
            { NextAction: 'set-second-class', Condition: { Operator: 'Equals', Operands: ['2'] } },
          ],
          Errors: [
            { NextAction: 'set-queue', ErrorType: 'InputTimeLimitExceeded' },
            { NextAction: 'set-queue', ErrorType: 'NoMatchingCondition' },
            { NextAction: 'set-queue', ErrorType: 'NoMatchingError' },
          ],
        },
      },
      setClass('set-first-class', first),
      setClass('set-second-class', second),
      {
        Identifier: 'set-queue',
        Type: 'UpdateContactTargetQueue',
        Parameters: { QueueId: input.queueArn },
        Transitions: { NextAction: 'transfer', Errors: [{ NextAction: 'disconnect', ErrorType: 'NoMatchingError' }] },
      },
      {
        Identifier: 'transfer',
        Type: 'TransferContactToQueue',
        Parameters: {},
        Transitions: {
          NextAction: 'disconnect',
          Errors: [
            { NextAction: 'disconnect', ErrorType: 'QueueAtCapacity' },
            { NextAction: 'disconnect', ErrorType: 'NoMatchingError' },
          ],
        },
      },
      { Identifier: 'disconnect', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
    ],
  };
}

/** Props for {@link DemoContactFlow}. */
export interface DemoContactFlowProps extends DemoFlowInput {
  /** The Connect instance. */
  readonly instanceArn: string;
  /** Flow name in the instance. */
  readonly name: string;
}

/** The demo flow as an `AWS::Connect::ContactFlow` of type CONTACT_FLOW. */
export class DemoContactFlow extends Construct {
  readonly flow: connect.CfnContactFlow;

  constructor(scope: Construct, id: string, props: DemoContactFlowProps) {
    super(scope, id);
    this.flow = new connect.CfnContactFlow(this, 'Flow', {
      instanceArn: props.instanceArn,
      name: props.name,
      type: 'CONTACT_FLOW',
      description: `Records the call, sets '${props.tagKey}' to ${props.classes[0]} (1) or ${props.classes[1]} (2) and transfers to the queue`,
      content: JSON.stringify(demoFlowContent(props)),
    });
  }
}
