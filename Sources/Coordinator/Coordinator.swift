/// Coordinator: SQLite store, job state machine and HTTP API (design §1, §4).
public enum CoordinatorModule {}
