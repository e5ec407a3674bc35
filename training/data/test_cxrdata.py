"""Tests of cxrdata.read_records on the real ../shared/data/cxr256 (skipped without it).
Run: /usr/bin/python3 -m unittest training/data/test_cxrdata.py"""
import collections
import os
import sys
import unittest

from training.data.cxrdata import CLASSES, NO_CLASS, V1_FOLDERS, read_records  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '..', '..', 'shared', 'data', 'cxr256')


@unittest.skipUnless(os.path.exists(os.path.join(DATA, 'jsrt_lungseg', 'labels.csv')), f'{DATA} with all eight folders is absent')
class ReadRecordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.recs = read_records(DATA)

    def test_every_folder_and_source(self):
        by_source = collections.Counter(r['source'] for r in self.recs)
        # covid_multiseg's 97 ieee8023 twins merge into their ieee8023 records; 3 stay as ieee8023-source records
        self.assertEqual(by_source, {'kermany': 1824, 'nih': 806, 'tbx11k': 700, 'shenzhen': 662, 'ieee8023': 530,
                                     'hannover': 243, 'jsrt': 247})

    def test_jsrt_nodules_have_no_class_but_are_abnormal(self):
        jsrt = [r for r in self.recs if r['source'] == 'jsrt']
        nodules = [r for r in jsrt if r['finding'] == 'lung nodule']
        self.assertEqual(len(nodules), 154)
        self.assertTrue(all(r['cls'] == NO_CLASS and r['abnormal'] for r in nodules))
        normals = [r for r in jsrt if r['finding'] != 'lung nodule']
        self.assertTrue(all(r['cls'] == CLASSES.index('normal') and not r['abnormal'] for r in normals))

    def test_mask_conventions_per_source(self):
        conv = collections.Counter((r['source'], r['convention']) for r in self.recs if r['mask'])
        self.assertEqual(conv, {('shenzhen', 'shenzhen'): 566, ('jsrt', 'shenzhen'): 247, ('ieee8023', 'v7'): 430})

    def test_new_single_class_sources(self):
        self.assertEqual({CLASSES[r['cls']] for r in self.recs if r['source'] == 'hannover'}, {'covid19'})
        self.assertEqual({CLASSES[r['cls']] for r in self.recs if r['source'] == 'tbx11k'}, {'tuberculosis'})

    def test_hannover_ieee8023_duplicates_are_marked_both_ways(self):
        dup = collections.Counter((r['source'], tuple(r['dup_sources'])) for r in self.recs if r['dup_sources'])
        self.assertEqual(dup, {('hannover', ('ieee8023',)): 8, ('ieee8023', ('hannover',)): 8})

    def test_v1_folders_reproduce_the_v1_records(self):
        v1 = read_records(DATA, V1_FOLDERS)
        self.assertEqual(len(v1), 3822)
        self.assertFalse({r['source'] for r in v1} & {'hannover', 'jsrt', 'tbx11k'})


if __name__ == '__main__':
    unittest.main()
