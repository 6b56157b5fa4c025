export { quoteName, labelText, checkName, schemaObjectName } from './names';
