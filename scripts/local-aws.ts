// `npm run local:up`: the local AWS stack without the demo — starts moto_server (or reuses one),
// creates the table, topic, queues and the demo ECS fleet, prints the settings for
// `serverless offline`, and keeps running until Ctrl-C, when it stops only what it started.
import { resetEmulator, startEmulator } from './lib/emulator';
import { createDemoFleet, createLocalStack } from './lib/local-stack';
import { declaredServicesForScripts } from './lib/services';
import { loadStackDefinitions } from './lib/stack-definitions';

const endpoint = process.env.VIGIA_AWS_ENDPOINT || 'http://127.0.0.1:5005';

async function main() {
  const emulator = await startEmulator(endpoint);
  if (emulator.startedHere && process.argv.includes('--reset')) await resetEmulator(endpoint);
  const stack = await createLocalStack(endpoint, loadStackDefinitions('dev'));
  await createDemoFleet(endpoint, declaredServicesForScripts());
  console.log(`local AWS ${emulator.startedHere ? 'started' : 'reused'} at ${endpoint}`);
  console.log(`table ${stack.tableName}; topic ${stack.topicArn}; inbox ${stack.inboxQueueUrl}`);
  console.log('run serverless offline against it with:');
  console.log(
    `  VIGIA_AWS_ENDPOINT=${endpoint} VIGIA_TOPIC_ARN=${stack.topicArn} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test npx serverless offline start`,
  );
  if (!emulator.startedHere) return;
  console.log('Ctrl-C stops the emulator.');
  const stop = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
