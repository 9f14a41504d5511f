/**
 * The SNS topic where every Shelfwise alarm tells the operators (subscribe an e-mail address or a chat integration
 * to it after the first deploy).
 *
 * Encrypted with its own KMS key: CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key (that
 * key's policy cannot grant `cloudwatch.amazonaws.com` anything), so the key is customer managed, rotates yearly and
 * lets CloudWatch encrypt alarm messages for this topic. The topic accepts TLS only; CloudWatch may publish to it for
 * alarms of this account and region only (other principals need an IAM grant in this account, e.g. `grantPublish`).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface OperatorAlarmTopicProps {
  /** @default 'Shelfwise alarms' */
  readonly displayName?: string;
}

export class OperatorAlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  /** The topic's encryption key. */
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: OperatorAlarmTopicProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');

    // The topic holds no data (SNS delivers and forgets), so the key goes with the stack, after the shortest wait.
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the Shelfwise operator alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // As in the SNS guide ("compatibility between event sources from AWS services and encrypted topics"): without
    // conditions, because this key encrypts nothing but this topic, whose policy below is the one that narrows who
    // may publish.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptForTopic',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Shelfwise alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The explicit topic policy (enforceSSL) replaces SNS's default one, so CloudWatch is allowed in by name, for
    // alarms of this account and region only (confused-deputy protection).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
