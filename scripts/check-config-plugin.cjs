// A local serverless plugin: before anything is packaged, deployed, invoked locally or started
// offline, config/services.json is checked against the functions' own schema (scripts/check-config.ts,
// run with tsx since the schema is TypeScript), and the command fails naming the bad field. A
// package or deploy also fails while SLACK_WEBHOOK_URL is set in the shell: serverless.yml passes it
// to the slack function for local runs, and deployed it would be a secret in plaintext in the
// function's configuration (SSM holds it instead).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { env, execPath } = require('node:process');

class CheckConfigPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    const check = () => this.checkServicesFile();
    const checkDeployable = () => {
      check();
      this.refusePlaintextSecrets();
    };
    this.hooks = {
      'before:package:initialize': checkDeployable,
      'before:deploy:function:packageFunction': checkDeployable,
      'before:invoke:local:invoke': check,
      'before:offline:start': check,
      'before:offline:start:init': check,
    };
  }

  refusePlaintextSecrets() {
    if (!env.SLACK_WEBHOOK_URL) return;
    const stage = this.serverless.service?.provider?.stage ?? 'dev';
    throw new this.serverless.classes.Error(
      'SLACK_WEBHOOK_URL is set: it is for local runs only, and a package or deploy would put the ' +
        "webhook's secret in plaintext in the slack function's environment. Unset it and store " +
        `the URL in SSM: aws ssm put-parameter --name /vigia/${stage}/slack-webhook-url ` +
        "--type SecureString --value '<url>'",
    );
  }

  checkServicesFile() {
    const root = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const file = path.join(root, 'config', 'services.json');
    const script = require.resolve('./check-config.ts');
    const run = spawnSync(execPath, [require.resolve('tsx/cli'), script, file], {
      cwd: root,
      encoding: 'utf8',
    });
    if (run.status === 0) return;
    const reason = (run.stderr || run.stdout || run.error?.message || 'unknown failure').trim();
    throw new this.serverless.classes.Error(`Invalid services file: ${reason}`);
  }
}

module.exports = CheckConfigPlugin;
