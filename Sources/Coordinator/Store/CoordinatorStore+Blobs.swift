import FleetCore

/// Content-addressed blobs (haystack text, long contexts).
extension CoordinatorStore {
    /// Stores `bytes` under their sha256, which must equal `sha256` (the address in the URL).
    public func putBlob(sha256: String, bytes: [UInt8]) async throws(StoreError) -> BlobStored {
        let actual = ContentHash.sha256Hex(bytes)
        guard actual == sha256 else {
            throw .invalid(field: "sha256", reason: "body hashes to \(actual), not \(sha256)")
        }
        let now = clock.now()
        try await write { [self] in
            try database.execute("""
                INSERT INTO blobs (sha256, bytes, size, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (sha256) DO NOTHING
                """, [sha256, SQLiteValue.blob(bytes), bytes.count, now])
        }
        return BlobStored(sha256: sha256, bytes: bytes.count)
    }

    public func blob(sha256: String) throws(StoreError) -> [UInt8] {
        guard let row = try read("SELECT bytes FROM blobs WHERE sha256 = ?", [sha256]).first,
              let bytes = row["bytes"].bytes else {
            throw .notFound(kind: "blob", id: sha256, field: "sha256")
        }
        return bytes
    }
}
