// A small Block Kit checker for the message shapes vigia sends, with Slack's documented limits.
export const blockKitLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  blockId: 255,
  fallbackText: 40000,
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(
  value: unknown,
  path: string,
  max: number,
  types: readonly string[],
  errors: string[],
): void {
  if (!isObject(value)) {
    errors.push(`${path}: must be a text object`);
    return;
  }
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    errors.push(`${path}.type: must be ${types.join(' or ')}`);
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    errors.push(`${path}.text: must be a non-empty string`);
  } else if (value.text.length > max) {
    errors.push(`${path}.text: ${value.text.length} characters, at most ${max}`);
  }
}

function checkBlock(block: unknown, path: string, ids: Set<string>, errors: string[]): void {
  if (!isObject(block)) {
    errors.push(`${path}: must be an object`);
    return;
  }
  if (block.block_id !== undefined) {
    const id = block.block_id;
    if (typeof id !== 'string' || id.length === 0 || id.length > blockKitLimits.blockId) {
      errors.push(`${path}.block_id: must be 1-${blockKitLimits.blockId} characters`);
    } else if (ids.has(id)) {
      errors.push(`${path}.block_id: "${id}" is not unique`);
    } else ids.add(id);
  }
  switch (block.type) {
    case 'header':
      checkText(block.text, `${path}.text`, blockKitLimits.headerText, ['plain_text'], errors);
      return;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        errors.push(`${path}: a section needs text or fields`);
      }
      if (block.text !== undefined) {
        const types = ['plain_text', 'mrkdwn'];
        checkText(block.text, `${path}.text`, blockKitLimits.sectionText, types, errors);
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0) {
          errors.push(`${path}.fields: must be a non-empty array`);
        } else {
          if (block.fields.length > blockKitLimits.sectionFields) {
            errors.push(`${path}.fields: ${block.fields.length} fields, at most 10`);
          }
          block.fields.forEach((f, k) =>
            checkText(
              f,
              `${path}.fields[${k}]`,
              blockKitLimits.fieldText,
              ['plain_text', 'mrkdwn'],
              errors,
            ),
          );
        }
      }
      return;
    }
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0) {
        errors.push(`${path}.elements: must be a non-empty array`);
      } else {
        if (elements.length > blockKitLimits.contextElements) {
          errors.push(`${path}.elements: ${elements.length} elements, at most 10`);
        }
        elements.forEach((e, k) => {
          if (isObject(e) && e.type === 'image') return;
          checkText(
            e,
            `${path}.elements[${k}]`,
            blockKitLimits.sectionText,
            ['plain_text', 'mrkdwn'],
            errors,
          );
        });
      }
      return;
    }
    case 'divider':
      return;
    default:
      errors.push(`${path}.type: "${String(block.type)}" is not a block type vigia sends`);
  }
}

/** Returns the problems found (empty when the payload is valid), each naming its path. */
export function validateBlockKit(payload: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(payload)) return ['payload: must be an object'];
  if (payload.text !== undefined) {
    if (typeof payload.text !== 'string') errors.push('text: must be a string');
    else if (payload.text.length > blockKitLimits.fallbackText) errors.push('text: too long');
  }
  const blocks = payload.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) {
    errors.push('blocks: must be a non-empty array');
    return errors;
  }
  if (blocks.length > blockKitLimits.blocks) {
    errors.push(`blocks: ${blocks.length} blocks, at most ${blockKitLimits.blocks}`);
  }
  const ids = new Set<string>();
  blocks.forEach((b, k) => checkBlock(b, `blocks[${k}]`, ids, errors));
  return errors;
}
