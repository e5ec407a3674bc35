"""Records, classes and prompts for ../shared/data/cxr256 (no torch: shared by packing,
training and export).

Classes follow the reference models so that numbers compare: normal, pneumonia,
tuberculosis, covid19. Each record also gets the prompt attributes the generator is
trained on, the lung-mask convention (Shenzhen and JSRT/SCR masks exclude the
retrocardiac region, ieee8023 / covid_multiseg V7 masks include it) and its `source`
(the hospital or collection: covid_multiseg is ieee8023's images, so the same source).

JSRT's lung-nodule images are not one of the four findings: their `cls` is -1 (no class),
`abnormal` is True. They train the segmenter (SCR masks) and an abnormal-vs-normal output,
never the 4-way finding; code that indexes CLASSES with `cls` must skip cls < 0.
"""
import csv
import os
import random
import re

CLASSES = ['normal', 'pneumonia', 'tuberculosis', 'covid19']
# The five folders the v1 bundle was trained on; FOLDERS adds the three of issue 17.
V1_FOLDERS = ['shenzhen_tb_lungseg', 'nih_cxr14_pneumonia', 'kermany_pediatric_pneumonia',
              'ieee8023_covid_lungseg', 'covid_multiseg']
FOLDERS = V1_FOLDERS + ['hannover_covid', 'jsrt_lungseg', 'tbx11k_tb']
SOURCES = {'shenzhen_tb_lungseg': 'shenzhen', 'nih_cxr14_pneumonia': 'nih', 'kermany_pediatric_pneumonia': 'kermany',
           'ieee8023_covid_lungseg': 'ieee8023', 'covid_multiseg': 'ieee8023', 'hannover_covid': 'hannover',
           'jsrt_lungseg': 'jsrt', 'tbx11k_tb': 'tbx11k'}
NO_CLASS = -1  # cls of an image whose finding is none of CLASSES (JSRT lung nodule)
# covid_multiseg lesion layers merged into the generator's one "lesion" channel.
LESION_LAYERS = ['ggo', 'consolidation', 'effusion', 'pneumothorax']
CONVENTIONS = {'shenzhen_tb_lungseg': 'shenzhen', 'jsrt_lungseg': 'shenzhen',
               'ieee8023_covid_lungseg': 'v7', 'covid_multiseg': 'v7'}
VIEWS = {'PA': 'pa view', 'AP': 'ap view', 'AP Supine': 'ap supine view'}
CLASS_PROMPTS = {
    'normal': 'chest x-ray, no finding, adult',
    'pneumonia': 'chest x-ray, pneumonia, adult',
    'tuberculosis': 'chest x-ray, tuberculosis, adult',
    'covid19': 'chest x-ray, covid-19 pneumonia, adult',
}
PROMPT_TEMPLATE = 'chest x-ray, <finding>[, <view>][, <population>[ <sex>]]'
MAX_TOKENS = 32


def _ieee_finding(label):
    """(class, finding words) for an ieee8023 label such as 'COVID-19, ARDS'."""
    low = label.strip().lower()
    if 'covid-19' in low:
        return 'covid19', 'covid-19 pneumonia' + (', ards' if 'ards' in low else '')
    if low == 'no finding':
        return 'normal', 'no finding'
    if low == 'ards':
        return 'pneumonia', 'ards'
    if low.endswith('pneumonia'):
        return 'pneumonia', low
    return 'pneumonia', f'{low} pneumonia'


def _label_fields(folder, row):
    """class name (None: none of CLASSES), finding words, population, sex, view for one
    labels.csv row."""
    sex = {'M': 'male', 'F': 'female'}.get(row.get('sex', ''))
    if folder == 'shenzhen_tb_lungseg':
        cls = 'tuberculosis' if row['label'] == 'tuberculosis' else 'normal'
        return cls, 'tuberculosis' if cls == 'tuberculosis' else 'no finding', 'adult', None, None
    if folder == 'nih_cxr14_pneumonia':
        cls = 'pneumonia' if row['label'] == 'Pneumonia' else 'normal'
        return cls, 'pneumonia' if cls == 'pneumonia' else 'no finding', 'adult', None, None
    if folder == 'kermany_pediatric_pneumonia':
        if row['label'] == 'pneumonia':
            return 'pneumonia', f"{row['subtype']} pneumonia", 'pediatric', None, None
        return 'normal', 'no finding', 'pediatric', None, None
    if folder == 'hannover_covid':  # all adults (the source redacted ages, not the population)
        return 'covid19', 'covid-19 pneumonia', 'adult', sex, VIEWS.get(row.get('view', ''))
    if folder == 'jsrt_lungseg':
        if row['label'] == 'lung nodule':
            return None, 'lung nodule', 'adult', None, VIEWS.get(row.get('view', ''))
        return 'normal', 'no finding', 'adult', None, VIEWS.get(row.get('view', ''))
    if folder == 'tbx11k_tb':  # ages not published
        return 'tuberculosis', 'tuberculosis', None, None, None
    cls, finding = _ieee_finding(row['label'])
    age = row.get('age', '')
    population = None
    if re.fullmatch(r'\d+(\.\d+)?', age or ''):
        population = 'adult' if float(age) >= 18 else 'pediatric'
    return cls, finding, population, sex, VIEWS.get(row.get('view', ''))


def read_records(data_dir, folders=None):
    """One dict per image. covid_multiseg images that are also in ieee8023 (same stem)
    are merged into the ieee8023 record, which gains their lesion masks. `folders`
    (default all) picks folders, e.g. V1_FOLDERS to reproduce the v1 bundle's data."""
    records, by_stem = [], {}
    for folder in folders or FOLDERS:
        with open(os.path.join(data_dir, folder, 'labels.csv'), encoding='utf-8', errors='replace') as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            stem = os.path.splitext(os.path.basename(row['file']))[0]
            lesions = []
            if folder == 'covid_multiseg':
                for layer in LESION_LAYERS:
                    rel = f'masks_{layer}/{stem}.png'
                    if os.path.exists(os.path.join(data_dir, folder, rel)):
                        lesions.append(rel)
                twin = by_stem.get(('ieee8023_covid_lungseg', stem))
                if twin is not None:
                    twin['lesion_masks'], twin['lesion_folder'] = lesions, folder
                    continue
            cls, finding, population, sex, view = _label_fields(folder, row)
            rec = {
                'folder': folder, 'file': row['file'], 'stem': stem, 'split': row['split'],
                'cls': NO_CLASS if cls is None else CLASSES.index(cls), 'abnormal': cls != 'normal',
                'source': SOURCES[folder], 'finding': finding, 'population': population,
                'sex': sex, 'view': view, 'mask': row.get('mask') or '',
                'convention': CONVENTIONS.get(folder) if row.get('mask') else None,
                'lesion_masks': lesions, 'lesion_folder': folder if lesions else None,
                'exclude_train': False, 'dup_sources': [],
            }
            by_stem[(folder, stem)] = rec
            records.append(rec)
    _exclude_cross_split_duplicates(data_dir, by_stem)
    return records


def _exclude_cross_split_duplicates(data_dir, by_stem):
    """A train image that is the same picture as a val/test image leaks the test set:
    keep it out of training (near_duplicates.tsv, cosine >= 0.985). A picture that is
    also in another source lists that source in `dup_sources`: leave-one-source-out
    training drops it when that source is held out (hannover's 8 ieee8023 images)."""
    path = os.path.join(data_dir, 'near_duplicates.tsv')
    if not os.path.exists(path):
        return
    with open(path) as f:
        for row in csv.DictReader(f, delimiter='\t'):
            a = by_stem.get((row['dataset_a'], os.path.splitext(row['file_a'])[0]))
            b = by_stem.get((row['dataset_b'], os.path.splitext(row['file_b'])[0]))
            if a is None or b is None or a is b:
                continue
            if a['source'] != b['source']:
                a['dup_sources'] = sorted(set(a['dup_sources']) | {b['source']})
                b['dup_sources'] = sorted(set(b['dup_sources']) | {a['source']})
            for x, y in ((a, b), (b, a)):
                if x['split'] == 'train' and y['split'] != 'train':
                    x['exclude_train'] = True


def build_prompt(rec, rng=None, drop=0.0):
    """The prompt for a record; with rng and drop > 0 each optional attribute is
    dropped with that probability (training-time augmentation)."""
    keep = (lambda: True) if rng is None else (lambda: rng.random() >= drop)
    parts = ['chest x-ray', rec['finding']]
    if rec['view'] and keep():
        parts.append(rec['view'])
    if rec['population'] and keep():
        parts.append(rec['population'] + (f" {rec['sex']}" if rec['sex'] and keep() else ''))
    return ', '.join(parts)


_WORD = re.compile(r'\w+|[^\w\s]+')


def pre_tokenize(text):
    """HuggingFace's Lowercase normalizer + Whitespace pre-tokenizer."""
    return _WORD.findall(text.lower())


def build_vocab(records):
    words = set()
    for rec in records:
        words.update(pre_tokenize(build_prompt(rec)))
    for p in CLASS_PROMPTS.values():
        words.update(pre_tokenize(p))
    return {'[PAD]': 0, '[UNK]': 1, **{w: i + 2 for i, w in enumerate(sorted(words))}}


def encode(text, vocab):
    ids = [vocab.get(w, 1) for w in pre_tokenize(text)][:MAX_TOKENS]
    return ids + [0] * (MAX_TOKENS - len(ids))


def tokenizer_json(vocab):
    """The vocabulary as a HuggingFace tokenizers file (WordLevel, fixed padding)."""
    special = lambda i, c: {'id': i, 'content': c, 'single_word': False, 'lstrip': False,
                            'rstrip': False, 'normalized': False, 'special': True}
    return {
        'version': '1.0',
        'truncation': {'direction': 'Right', 'max_length': MAX_TOKENS, 'strategy': 'LongestFirst', 'stride': 0},
        'padding': {'strategy': {'Fixed': MAX_TOKENS}, 'direction': 'Right', 'pad_to_multiple_of': None,
                    'pad_id': 0, 'pad_type_id': 0, 'pad_token': '[PAD]'},
        'added_tokens': [special(0, '[PAD]'), special(1, '[UNK]')],
        'normalizer': {'type': 'Lowercase'},
        'pre_tokenizer': {'type': 'Whitespace'},
        'post_processor': None,
        'decoder': None,
        'model': {'type': 'WordLevel', 'vocab': vocab, 'unk_token': '[UNK]'},
    }


if __name__ == '__main__':
    import collections
    import sys
    recs = read_records(sys.argv[1] if len(sys.argv) > 1 else '../shared/data/cxr256')
    name = lambda r: CLASSES[r['cls']] if r['cls'] >= 0 else r['finding']
    print(len(recs), collections.Counter((r['source'], r['split'], name(r)) for r in recs))
    print('excluded', sum(r['exclude_train'] for r in recs), 'lesion', sum(bool(r['lesion_masks']) for r in recs),
          'in another source too', collections.Counter((r['source'], tuple(r['dup_sources'])) for r in recs if r['dup_sources']))
    print('lung masks', collections.Counter((r['source'], r['convention']) for r in recs if r['mask']))
    v = build_vocab(recs)
    print(len(v), list(v)[:60])
    print(collections.Counter(build_prompt(r) for r in recs).most_common(12))
    print(random.Random(0).random())
