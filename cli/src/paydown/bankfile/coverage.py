"""What the default bank must cover: Sculley et al.'s debt types and the 28 ML Test Score tests."""

# Debt types named in "Hidden Technical Debt in Machine Learning Systems" (Sculley et al., 2015),
# keyed as they appear in a question's `covers:` list.
DEBT_TYPES: dict[str, str] = {
    "entanglement": "Entanglement (CACE), §2",
    "correction-cascades": "Correction cascades, §2",
    "undeclared-consumers": "Undeclared consumers, §2",
    "unstable-data-dependencies": "Unstable data dependencies, §3",
    "underutilized-data-dependencies": "Underutilized data dependencies, §3",
    "static-analysis-of-data-dependencies": "Static analysis of data dependencies, §3",
    "direct-feedback-loops": "Direct feedback loops, §4",
    "hidden-feedback-loops": "Hidden feedback loops, §4",
    "glue-code": "Glue code, §5",
    "pipeline-jungles": "Pipeline jungles, §5",
    "dead-experimental-codepaths": "Dead experimental codepaths, §5",
    "abstraction-debt": "Abstraction debt, §5",
    "plain-old-data-smell": "Plain-old-data type smell, §5",
    "multiple-language-smell": "Multiple-language smell, §5",
    "prototype-smell": "Prototype smell, §5",
    "configuration-debt": "Configuration debt, §6",
    "fixed-thresholds": "Fixed thresholds in dynamic systems, §7",
    "prediction-bias": "Monitoring prediction bias, §7",
    "action-limits": "Action limits, §7",
    "upstream-producers": "Up-stream producers, §7",
    "data-testing-debt": "Data testing debt, §8",
    "reproducibility-debt": "Reproducibility debt, §8",
    "process-management-debt": "Process management debt, §8",
    "cultural-debt": "Cultural debt, §8",
}

# The 28 tests of "The ML Test Score" (Breck et al., 2017), four sections of seven.
ML_TEST_SCORE_TESTS: dict[str, str] = {
    "data-1": "Feature expectations are captured in a schema",
    "data-2": "All features are beneficial",
    "data-3": "No feature's cost is too much",
    "data-4": "Features adhere to meta-level requirements",
    "data-5": "The data pipeline has appropriate privacy controls",
    "data-6": "New features can be added quickly",
    "data-7": "All input feature code is tested",
    "model-1": "Model specs are reviewed and submitted",
    "model-2": "Offline and online metrics correlate",
    "model-3": "All hyperparameters have been tuned",
    "model-4": "The impact of model staleness is known",
    "model-5": "A simpler model is not better",
    "model-6": "Model quality is sufficient on important data slices",
    "model-7": "The model is tested for considerations of inclusion",
    "infra-1": "Training is reproducible",
    "infra-2": "Model specs are unit tested",
    "infra-3": "The ML pipeline is integration tested",
    "infra-4": "Model quality is validated before serving",
    "infra-5": "The model is debuggable",
    "infra-6": "Models are canaried before serving",
    "infra-7": "Serving models can be rolled back",
    "monitor-1": "Dependency changes result in notification",
    "monitor-2": "Data invariants hold for inputs",
    "monitor-3": "Training and serving are not skewed",
    "monitor-4": "Models are not too stale",
    "monitor-5": "Models are numerically stable",
    "monitor-6": "Computing performance has not regressed",
    "monitor-7": "Prediction quality has not regressed",
}

REQUIRED_COVERAGE: frozenset[str] = frozenset(DEBT_TYPES) | frozenset(ML_TEST_SCORE_TESTS)


def missing_coverage(covered: set[str]) -> list[str]:
    """Return the required coverage keys that no question covers, sorted."""
    return sorted(REQUIRED_COVERAGE - covered)
