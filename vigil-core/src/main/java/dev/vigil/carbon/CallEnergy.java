package dev.vigil.carbon;

/**
 * The estimated energy and carbon of one call to a hosted language model.
 *
 * @param energyWh facility energy of the call: server energy times the provider's PUE
 * @param co2eGrams {@code energyWh} times the grid intensity used
 * @param gpuEnergyWh energy of the GPUs alone (all GPUs holding the model), before PUE
 * @param serverEnergyWh energy of the rest of the server over the generation time, before PUE
 * @param generationSeconds generation time used: the fitted latency, capped by the measured one
 * @param gpus GPUs needed to hold the model in memory
 * @param activeParamsB active parameters used, in billions
 * @param totalParamsB total parameters used, in billions
 * @param pue PUE applied
 * @param gramsPerKwh grid intensity applied
 * @param estimatedSize {@code true} when the model is not in the shipped table and the configured
 *     default size was used; such figures say little about the real model
 * @param sizeDisclosed {@code true} when the provider published the model's architecture
 */
public record CallEnergy(
    double energyWh,
    double co2eGrams,
    double gpuEnergyWh,
    double serverEnergyWh,
    double generationSeconds,
    int gpus,
    double activeParamsB,
    double totalParamsB,
    double pue,
    double gramsPerKwh,
    boolean estimatedSize,
    boolean sizeDisclosed) {}
