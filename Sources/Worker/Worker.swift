/// Worker: leases jobs from the coordinator and runs them with the engine.
public enum WorkerModule {}
