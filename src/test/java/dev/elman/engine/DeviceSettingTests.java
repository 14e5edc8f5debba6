package dev.elman.engine;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeviceSettingTests {

	@Test
	void parsesTheFourForms() {
		assertThat(DeviceSetting.valueOf("auto").kind()).isEqualTo(DeviceSetting.Kind.AUTO);
		assertThat(DeviceSetting.valueOf(" CPU ").kind()).isEqualTo(DeviceSetting.Kind.CPU);
		assertThat(DeviceSetting.valueOf("gpu")).isEqualTo(new DeviceSetting(DeviceSetting.Kind.GPU, 0));
		assertThat(DeviceSetting.valueOf("gpu:3")).isEqualTo(new DeviceSetting(DeviceSetting.Kind.GPU, 3));
	}

	@Test
	void rejectsAnythingElseNamingTheAcceptedValues() {
		for (String wrong : new String[] { "tpu", "gpu:", "gpu:-1", "gpu:x", "" }) {
			assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> DeviceSetting.valueOf(wrong))
				.withMessageContaining("use auto, cpu, gpu or gpu:N");
		}
	}

	@Test
	void autoTakesTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
		assertThat(DeviceSetting.AUTO.resolve(0)).isEqualTo(Device.cpu());
		assertThat(DeviceSetting.AUTO.resolve(2)).isEqualTo(Device.gpu(0));
		assertThat(DeviceSetting.valueOf("cpu").resolve(4)).isEqualTo(Device.cpu());
	}

	@Test
	void aRequestedGpuIsUsedWhenPresent() {
		assertThat(DeviceSetting.valueOf("gpu").resolve(1)).isEqualTo(Device.gpu(0));
		assertThat(DeviceSetting.valueOf("gpu:1").resolve(2)).isEqualTo(Device.gpu(1));
	}

	@Test
	void aRequestedGpuThatIsAbsentFailsWithOneSentenceNamingTheSetting() {
		assertThatExceptionOfType(DeviceUnavailableException.class)
			.isThrownBy(() -> DeviceSetting.valueOf("gpu").resolve(0))
			.withMessage("elman.device is set to 'gpu:0' but PyTorch sees no GPU on this machine.");
		assertThatExceptionOfType(DeviceUnavailableException.class)
			.isThrownBy(() -> DeviceSetting.valueOf("gpu:1").resolve(1))
			.withMessage("elman.device is set to 'gpu:1' but PyTorch sees only 1 GPU (gpu:0).");
		assertThatExceptionOfType(DeviceUnavailableException.class)
			.isThrownBy(() -> DeviceSetting.valueOf("gpu:5").resolve(2))
			.withMessage("elman.device is set to 'gpu:5' but PyTorch sees only 2 GPUs (gpu:0 to gpu:1).");
	}

}
