"""Make public/examples/: the small example set behind the "Try with example data" buttons.

Real 256x256 chest X-rays from the test splits of ../shared/data/cxr256, only from sources
whose terms allow redistribution (see public/examples/ATTRIBUTION.md) and that the shipped
classifier was trained on (its shift reference's `fitted_on` sources), so that a demo does
not trip the dataset-shift warning by construction: Hannover COVID-19 images, never trained
on, scored above the shift threshold 4 times in 6 and made the set's warning.
  kermany_pediatric_pneumonia  CC BY 4.0          normal / pneumonia (children)
  nih_cxr14_pneumonia          no restrictions    No Finding / Pneumonia (adults; noisy labels)
  ieee8023_covid_lungseg       per-image CC BY 3.0 / 4.0 only, with V7 lung masks (CC BY 4.0)
Shenzhen, JSRT and TBX11K forbid redistribution, so there is no tuberculosis example.
Lung masks exist only for the ieee8023 images (V7 convention: retrocardiac region included).

Usage: python3 scripts/make_examples.py [--shared ../shared]
"""
import argparse
import csv
import json
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "public" / "examples"
SHIFT_REFERENCE = REPO / "public" / "models" / "cxr-studio-v1" / "shift.json"
SEED = 19
# (folder, label in the source, label written (the studio's class names), how many, licence)
PICKS = [
    ("kermany_pediatric_pneumonia", "normal", "normal", 5, "CC BY 4.0"),
    ("kermany_pediatric_pneumonia", "pneumonia", "pneumonia", 5, "CC BY 4.0"),
    ("nih_cxr14_pneumonia", "No Finding", "normal", 5, "no restrictions (NIH Clinical Center)"),
    ("nih_cxr14_pneumonia", "Pneumonia", "pneumonia", 5, "no restrictions (NIH Clinical Center)"),
    ("ieee8023_covid_lungseg", "COVID-19", "covid19", 14, None),  # licence per image
]


def redistributable(licence: str) -> bool:
    return licence.startswith("CC BY") and "NC" not in licence and "ND" not in licence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data" / "cxr256"
    trained_on = json.loads(SHIFT_REFERENCE.read_text())["fitted_on"]["sources"]
    untrained = sorted({folder for folder, *_ in PICKS} - set(trained_on))
    if untrained:
        raise SystemExit(f"{', '.join(untrained)}: not among the classifier's training sources {trained_on}")
    rng = random.Random(SEED)
    # ATTRIBUTION.md and LICENSE are written by hand and stay
    for folder in ("images", "masks"):
        shutil.rmtree(OUT / folder, ignore_errors=True)
        (OUT / folder).mkdir(parents=True)
    rows = []
    for folder, source_label, label, count, licence in PICKS:
        with open(data / folder / "labels.csv", newline="") as f:
            candidates = [r for r in csv.DictReader(f) if r["split"] == "test" and r["label"] == source_label]
        if licence is None:
            candidates = [r for r in candidates if r.get("mask") and redistributable(r["license"])]
        candidates.sort(key=lambda r: r["file"])
        for row in rng.sample(candidates, count):
            stem = Path(row["file"]).stem
            name = f"{folder.split('_')[0]}_{stem}.png"
            shutil.copyfile(data / folder / row["file"], OUT / "images" / name)
            mask = ""
            if row.get("mask"):
                shutil.copyfile(data / folder / row["mask"], OUT / "masks" / name)
                mask = f"masks/{name}"
            rows.append({"file": f"images/{name}", "mask": mask, "label": label, "source": folder, "license": licence or row["license"], "source_file": row["file"]})
    with open(OUT / "labels.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(rows)} images, {sum(1 for r in rows if r['mask'])} masks, {total / 2**20:.2f} MiB in {OUT}")


if __name__ == "__main__":
    main()
