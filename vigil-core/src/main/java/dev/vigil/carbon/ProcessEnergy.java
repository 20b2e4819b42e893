package dev.vigil.carbon;

import java.time.Instant;

/**
 * Energy and carbon of Vigil's own process accumulated since the sampler started.
 *
 * @param since when the sampler started
 * @param at the last sample
 * @param cpuWh CPU energy before PUE (with RAPL: the whole CPU package, every process)
 * @param memoryWh memory energy before PUE (resident GB x W per GB x time)
 * @param gpuWh NVIDIA GPU energy before PUE (0 without a GPU)
 * @param energyWh (cpu + memory + gpu) x PUE
 * @param co2eGrams {@code energyWh} x grid intensity
 * @param cpuMethod how CPU energy was obtained
 * @param gpuMethod how GPU energy was obtained ({@link PowerMethod#NONE} without a GPU)
 * @param pue PUE applied
 * @param gramsPerKwh grid intensity applied, gCO2e/kWh
 */
public record ProcessEnergy(
    Instant since,
    Instant at,
    double cpuWh,
    double memoryWh,
    double gpuWh,
    double energyWh,
    double co2eGrams,
    PowerMethod cpuMethod,
    PowerMethod gpuMethod,
    double pue,
    double gramsPerKwh) {}
