// A local serverless plugin: before anything is packaged, deployed, invoked locally or started
// offline, config/services.json is checked against the functions' own schema (scripts/check-config.ts,
// run with tsx since the schema is TypeScript), and the command fails naming the bad field.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { execPath } = require('node:process');

class CheckConfigPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    const check = () => this.checkServicesFile();
    this.hooks = {
      'before:package:initialize': check,
      'before:deploy:function:packageFunction': check,
      'before:invoke:local:invoke': check,
      'before:offline:start': check,
      'before:offline:start:init': check,
    };
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
