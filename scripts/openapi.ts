// Prints the API's OpenAPI document (`npm run openapi`), built from the same route list and zod
// schemas that validate requests at run time.
import { openApiDocument } from '../lib/http/openapi';
import { apiRoutes } from '../lib/http/routes';

process.stdout.write(`${JSON.stringify(openApiDocument(apiRoutes), null, 2)}\n`);
