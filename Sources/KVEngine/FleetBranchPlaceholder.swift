// Placeholder so the package builds on branch `fleet` before the engine lands.
// The KVEngine sources live on the engine branch; delete this file when merging.
