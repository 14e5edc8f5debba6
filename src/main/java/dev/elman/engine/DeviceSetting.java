package dev.elman.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;

/**
 * The value of {@code elman.device}: {@code auto} (a GPU if PyTorch sees one, else the
 * CPU), {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}.
 *
 * @param kind what was asked for
 * @param gpuIndex the GPU index for {@link Kind#GPU}, otherwise 0
 */
public record DeviceSetting(Kind kind, int gpuIndex) {

	private static final Pattern GPU_WITH_INDEX = Pattern.compile("gpu:(\\d{1,3})");

	/** The device that {@code auto} resolves to on a machine without a GPU. */
	public static final DeviceSetting AUTO = new DeviceSetting(Kind.AUTO, 0);

	/**
	 * Parses a setting; Spring's binder calls this for {@code elman.device}.
	 * @param text one of {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}
	 * @return the setting
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static DeviceSetting valueOf(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		switch (value) {
			case "auto":
				return AUTO;
			case "cpu":
				return new DeviceSetting(Kind.CPU, 0);
			case "gpu":
				return new DeviceSetting(Kind.GPU, 0);
			default:
				Matcher matcher = GPU_WITH_INDEX.matcher(value);
				if (matcher.matches()) {
					return new DeviceSetting(Kind.GPU, Integer.parseInt(matcher.group(1)));
				}
				throw new IllegalArgumentException(
						"'" + text + "' is not a device: use auto, cpu, gpu or gpu:N (N counts from 0)");
		}
	}

	/**
	 * Picks the device this setting means on a machine where PyTorch sees
	 * {@code gpuCount} GPUs.
	 * @param gpuCount the number of CUDA devices visible to PyTorch
	 * @return the device to compute on
	 * @throws DeviceUnavailableException if a GPU was asked for that is not there
	 */
	public Device resolve(int gpuCount) {
		switch (this.kind) {
			case CPU:
				return Device.cpu();
			case AUTO:
				return (gpuCount > 0) ? Device.gpu(0) : Device.cpu();
			default:
				if (this.gpuIndex >= gpuCount) {
					throw new DeviceUnavailableException(this, gpuCount);
				}
				return Device.gpu(this.gpuIndex);
		}
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case AUTO -> "auto";
			case CPU -> "cpu";
			case GPU -> "gpu:" + this.gpuIndex;
		};
	}

	/** What kind of device was asked for. */
	public enum Kind {

		/** A GPU when one is visible, else the CPU. */
		AUTO,

		/** Always the CPU. */
		CPU,

		/** A given GPU; failing if it is absent. */
		GPU

	}

}
