"""Golden fixtures for the TypeScript schedulers in src/core/schedulers/.

A float64 numpy reimplementation of the formulas in huggingface/diffusers'
DDIMScheduler (eta 0) and DPMSolverMultistepScheduler (DPM-Solver++ 2M, midpoint,
lower_order_final, final_sigmas_type "zero"), kept deliberately literal so that a
reviewer can compare it against diffusers line by line. diffusers itself is not
installed on the development machines; when it is, `--check-diffusers` compares
these numbers with it.

Run:  /usr/bin/python3 -m training.golden.golden_schedulers
Writes src/core/schedulers/fixtures/{betas,ddim,dpmpp2m}.json.

The "model" in the loops is a fixed smooth function of (sample, t), defined
identically in src/core/schedulers/fixtures/fakeModel.ts:
    eps[i] = tanh(sample[i]) * (0.5 + t / 2000) + 0.1 * cos(0.7 * i + t / 100)
"""

import json
import math
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[2] / "src" / "core" / "schedulers" / "fixtures"
T = 1000
N_ELEMS = 64


def betas_for(schedule, beta_start, beta_end, n=T):
    if schedule == "linear":
        return np.linspace(beta_start, beta_end, n, dtype=np.float64)
    if schedule == "scaled_linear":
        return np.linspace(beta_start**0.5, beta_end**0.5, n, dtype=np.float64) ** 2
    if schedule == "squaredcos_cap_v2":
        def alpha_bar(t):
            return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
        return np.array([min(1 - alpha_bar((i + 1) / n) / alpha_bar(i / n), 0.999) for i in range(n)])
    raise ValueError(schedule)


def alphas_cumprod_for(schedule="scaled_linear", beta_start=0.00085, beta_end=0.012):
    return np.cumprod(1.0 - betas_for(schedule, beta_start, beta_end))


def ddim_timesteps(steps, spacing):
    if spacing == "linspace":  # the reference-v0 generator: round(linspace(999, 0, S))
        return np.round(np.linspace(T - 1, 0, steps)).astype(np.int64)
    if spacing == "leading":
        ratio = T // steps
        return (np.arange(0, steps) * ratio).round()[::-1].astype(np.int64)
    if spacing == "trailing":
        return (np.round(np.arange(T, 0, -T / steps)) - 1).astype(np.int64)
    raise ValueError(spacing)


def ddim_step(ac, timesteps, i, eps, sample):
    """DDIM, eta 0, epsilon prediction. The previous timestep is the next entry of
    `timesteps` (not t - T//S, which is only right for 'leading' spacing); after the
    last one alpha_cumprod is 1 (set_alpha_to_one)."""
    t = timesteps[i]
    a_t = ac[t]
    a_prev = ac[timesteps[i + 1]] if i + 1 < len(timesteps) else 1.0
    x0 = (sample - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
    return math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps


def dpm_timesteps_and_sigmas(ac, steps):
    ts = np.linspace(0, T - 1, steps + 1).round()[::-1][:-1].copy().astype(np.int64)
    sig_all = ((1 - ac) / ac) ** 0.5
    sigmas = np.interp(ts, np.arange(0, len(sig_all)), sig_all)
    return ts, np.concatenate([sigmas, [0.0]])


def alpha_sigma(sigma):
    alpha_t = 1 / ((sigma**2 + 1) ** 0.5)
    return alpha_t, sigma * alpha_t


class DpmSolverPP2M:
    def __init__(self, ac, steps):
        self.timesteps, self.sigmas = dpm_timesteps_and_sigmas(ac, steps)
        self.outputs = [None, None]
        self.lower_order_nums = 0
        self.i = 0

    def lam(self, sigma):
        a, s = alpha_sigma(sigma)
        with np.errstate(divide="ignore"):
            return np.log(a) - np.log(s)

    def step(self, eps, sample):
        i, n = self.i, len(self.timesteps)
        lower_order_final = i == n - 1  # final_sigmas_type "zero" forces first order at the end
        sigma = self.sigmas[i]
        a_s, s_s = alpha_sigma(sigma)
        x0 = (sample - s_s * eps) / a_s
        self.outputs = [self.outputs[1], x0]
        sigma_t, sigma_s0 = self.sigmas[i + 1], self.sigmas[i]
        alpha_t, _ = alpha_sigma(sigma_t)
        _, sig_t = alpha_sigma(sigma_t)
        _, sig_s0 = alpha_sigma(sigma_s0)
        lam_t, lam_s0 = self.lam(sigma_t), self.lam(sigma_s0)
        h = lam_t - lam_s0
        if self.lower_order_nums < 1 or lower_order_final:
            out = (sig_t / sig_s0) * sample - alpha_t * (np.exp(-h) - 1.0) * x0
        else:
            m0, m1 = self.outputs[1], self.outputs[0]
            lam_s1 = self.lam(self.sigmas[i - 1])
            h0 = lam_s0 - lam_s1
            r0 = h0 / h
            d0, d1 = m0, (1.0 / r0) * (m0 - m1)
            out = (sig_t / sig_s0) * sample - alpha_t * (np.exp(-h) - 1.0) * d0 - 0.5 * alpha_t * (np.exp(-h) - 1.0) * d1
        if self.lower_order_nums < 2:
            self.lower_order_nums += 1
        self.i += 1
        return out


def fake_model(sample, t):
    i = np.arange(sample.size, dtype=np.float64)
    return np.tanh(sample) * (0.5 + t / 2000.0) + 0.1 * np.cos(0.7 * i + t / 100.0)


def initial_sample():
    i = np.arange(N_ELEMS, dtype=np.float64)
    return np.sin(1.3 * i + 0.5) * 1.2


def ddim_fixture(ac):
    out = {"timesteps": {}, "loops": {}}
    for spacing in ("linspace", "leading", "trailing"):
        out["timesteps"][spacing] = {str(s): ddim_timesteps(s, spacing).tolist() for s in (1, 2, 7, 10, 20, 50)}
    ts = ddim_timesteps(20, "linspace")
    x = initial_sample()
    eps = fake_model(x, ts[0])
    out["one_step"] = {"steps": 20, "spacing": "linspace", "index": 0, "t": int(ts[0]),
                       "sample": x.tolist(), "model_output": eps.tolist(),
                       "prev_sample": ddim_step(ac, ts, 0, eps, x).tolist()}
    for spacing in ("linspace", "leading"):
        ts = ddim_timesteps(10, spacing)
        x = initial_sample()
        for i, t in enumerate(ts):
            x = ddim_step(ac, ts, i, fake_model(x, t), x)
        out["loops"][spacing] = {"steps": 10, "final": x.tolist()}
    return out


def dpm_fixture(ac):
    out = {"timesteps": {}, "sigmas": {}}
    for s in (1, 2, 7, 10, 20, 50):
        ts, sig = dpm_timesteps_and_sigmas(ac, s)
        out["timesteps"][str(s)] = ts.tolist()
        out["sigmas"][str(s)] = sig.tolist()
    sched = DpmSolverPP2M(ac, 20)
    x = initial_sample()
    eps = fake_model(x, sched.timesteps[0])
    first = sched.step(eps, x)
    eps2 = fake_model(first, sched.timesteps[1])
    second = sched.step(eps2, first)
    out["first_steps"] = {"steps": 20, "sample": x.tolist(), "after_step_1": first.tolist(),
                          "after_step_2": second.tolist()}
    sched = DpmSolverPP2M(ac, 10)
    x = initial_sample()
    for t in sched.timesteps:
        x = sched.step(fake_model(x, t), x)
    out["loop"] = {"steps": 10, "final": x.tolist()}
    return out


def betas_fixture():
    idx = [0, 1, 2, 499, 500, 998, 999]
    out = {"indices": idx}
    for schedule in ("linear", "scaled_linear", "squaredcos_cap_v2"):
        start, end = (0.0001, 0.02) if schedule == "linear" else (0.00085, 0.012)
        b = betas_for(schedule, start, end)
        ac = np.cumprod(1 - b)
        out[schedule] = {"beta_start": start, "beta_end": end,
                         "betas": b[idx].tolist(), "alphas_cumprod": ac[idx].tolist()}
    return out


def write(name, obj):
    (OUT / name).write_text(json.dumps(obj, indent=1) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    ac = alphas_cumprod_for()
    meta = {"made_by": "training/golden/golden_schedulers.py", "numpy": np.__version__,
            "alphas_cumprod": "scaled_linear 0.00085..0.012, 1000 steps, float64"}
    write("betas.json", {"meta": meta, **betas_fixture()})
    write("ddim.json", {"meta": meta, **ddim_fixture(ac)})
    write("dpmpp2m.json", {"meta": meta, **dpm_fixture(ac)})
    if "--check-diffusers" in sys.argv:
        import torch  # noqa: F401
        from diffusers import DDIMScheduler, DPMSolverMultistepScheduler
        d = DPMSolverMultistepScheduler(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012)
        d.set_timesteps(20)
        assert d.timesteps.tolist() == dpm_timesteps_and_sigmas(ac, 20)[0].tolist()
        dd = DDIMScheduler(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012,
                           timestep_spacing="leading", set_alpha_to_one=True, clip_sample=False)
        dd.set_timesteps(10)
        assert dd.timesteps.tolist() == ddim_timesteps(10, "leading").tolist()
        print("timesteps agree with diffusers")
    print("wrote", OUT)
