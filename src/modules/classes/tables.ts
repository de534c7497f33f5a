/** The classes module's tables (placeholder until they are declared). */
// biome-ignore lint/complexity/noBannedTypes: filled in with the module's tables
export type ClassTables = {};
