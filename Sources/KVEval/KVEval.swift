/// KVEval: LongBench and needle-in-a-haystack, built and scored as the reference scripts do.
public enum KVEval {}
