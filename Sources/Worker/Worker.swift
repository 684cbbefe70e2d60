/// Worker: the coordinator client (`Client/`) and the job runner (`Runner/`) that leases jobs
/// and runs their samples with the engine.
public enum WorkerModule {}
