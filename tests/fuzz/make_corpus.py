#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<reader>/).

Small valid (and a few nearly valid) inputs, each under 10 KB, from which
libFuzzer mutates. The files are committed; run this again only to change
them: /usr/bin/python3 tests/fuzz/make_corpus.py (nibabel and numpy from
Debian).
"""
import gzip
import io
import os
import shutil
import struct
import sys

import nibabel as nib
import numpy as np

ROOT = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(ROOT, "corpus")


def put(reader, name, data):
    folder = os.path.join(CORPUS, reader)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    assert len(data) < 10 * 1024, (reader, name, len(data))
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def nifti_bytes(img):
    bio = io.BytesIO()
    file_map = img.make_file_map({"image": bio, "header": bio})
    img.to_file_map(file_map)
    return bio.getvalue()


def gz(data, mtime=0):
    return gzip.compress(data, compresslevel=6, mtime=mtime)


def nifti():
    aff = np.diag([2.0, 2.0, 2.0, 1.0])
    aff[:3, 3] = [-10, -12, -8]
    rng = np.random.default_rng(21)
    # float32 3D, sform and qform set
    img = nib.Nifti1Image(rng.normal(100, 10, (3, 4, 2)).astype(np.float32), aff)
    img.header.set_qform(aff, 1)
    img.header.set_sform(aff, 4)
    put("nifti", "float32_3d.nii", nifti_bytes(img))
    # uint8 with scaling
    img = nib.Nifti1Image(np.arange(12, dtype=np.uint8).reshape(3, 2, 2), aff)
    img.header.set_slope_inter(0.5, 10)
    put("nifti", "uint8_scaled.nii", nifti_bytes(img))
    # int16 labels
    img = nib.Nifti1Image(np.array([[[0, 1], [2, 300]], [[4, 5], [0, 7]]], dtype=np.int16), aff)
    put("nifti", "int16_labels.nii", nifti_bytes(img))
    # big-endian int16 4D with TR
    data = np.arange(2 * 2 * 2 * 3, dtype=">i2").reshape(2, 2, 2, 3)
    hdr = nib.Nifti1Header(endianness=">")
    img = nib.Nifti1Image(data, aff, header=hdr)
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    put("nifti", "int16_bigendian_4d.nii", nifti_bytes(img))
    # NIfTI-2 float64
    img = nib.Nifti2Image(rng.normal(0, 1, (2, 3, 2)), aff)
    put("nifti", "float64_nifti2.nii", nifti_bytes(img))
    # uint64 and int8
    put("nifti", "uint64.nii", nifti_bytes(nib.Nifti1Image(np.arange(8, dtype=np.uint64).reshape(2, 2, 2), aff, dtype=np.uint64)))
    put("nifti", "int8.nii", nifti_bytes(nib.Nifti1Image(np.arange(-4, 4, dtype=np.int8).reshape(2, 2, 2), aff)))
    # a header extension (comment) before the data
    img = nib.Nifti1Image(np.ones((2, 2, 2), dtype=np.float32), aff)
    img.header.extensions.append(nib.nifti1.Nifti1Extension("comment", b"fuzz seed"))
    put("nifti", "with_extension.nii", nifti_bytes(img))
    # wrong magic (ANALYZE-like single file): must be refused
    b = bytearray(nifti_bytes(nib.Nifti1Image(np.zeros((2, 2, 2), dtype=np.uint8), aff)))
    b[344:348] = b"\0\0\0\0"
    put("nifti", "wrong_magic.nii", bytes(b))


def gzip_stream():
    data = nifti_bytes(nib.Nifti1Image(np.arange(64, dtype=np.float32).reshape(4, 4, 4), np.eye(4)))
    put("gzip_stream", "nifti.gz", gz(data))
    put("gzip_stream", "text.gz", gz(b"hello axon\n" * 20))
    put("gzip_stream", "two_members.gz", gz(b"first member ") + gz(b"second member\n"))
    put("gzip_stream", "empty_member.gz", gz(b""))
    put("gzip_stream", "trailing_zeros.gz", gz(b"padded data") + b"\0" * 16)
    put("gzip_stream", "stored.gz", gzip.compress(bytes(range(256)), compresslevel=0, mtime=0))
    # header with FEXTRA, FNAME, FCOMMENT and FHCRC (flags 0x1e)
    body = gz(b"header fields\n")
    import zlib
    head = bytearray(b"\x1f\x8b\x08\x1e\0\0\0\0\0\xff")
    head += struct.pack("<H", 4) + b"AX\0\0"
    head += b"name.nii\0" + b"a comment\0"
    head += struct.pack("<H", zlib.crc32(bytes(head)) & 0xFFFF)
    put("gzip_stream", "header_fields.gz", bytes(head) + body[10:])
    put("gzip_stream", "plain.txt", b"not compressed at all\n")
    put("gzip_stream", "truncated.gz", gz(b"x" * 500 + bytes(range(200)))[:-6])


def tsv():
    put("tsv", "confounds.tsv",
        "trans_x\ttrans_y\ttrans_z\trot_x\trot_y\trot_z\tframewise_displacement\n"
        "0\t0\t0\t0\t0\t0\tn/a\n"
        "0.01\t-0.02\t0.005\t0.0001\t-0.0002\t0.00003\t0.12\n"
        "0.02\t-0.01\t0.004\t1e-4\t-2e-4\t3E-05\t0.08\n")
    put("tsv", "fmriprep_1_0.tsv",
        "X\tY\tZ\tRotX\tRotY\tRotZ\n\t\t\t\t\t\n0.1\t0.2\t0.3\t0.01\t0.02\t0.03\n")
    put("tsv", "crlf.tsv", "onset\tduration\ttrial_type\r\n0.0\t2.5\tgo\r\n5\t2.5\tstop\r\n")
    put("tsv", "participants.tsv", "participant_id\tage\tsex\nsub-01\t34\tF\nsub-02\tn/a\tM\n\nsub-03\tinf\tNaN\n")
    put("tsv", "ragged.tsv", "a\tb\n1\t2\t3\n")
    put("tsv", "header_only.tsv", "only\n")


def label_table():
    put("label_table", "aal.txt", "1 Precentral_L 2001\n2 Precentral_R 2002\n3 Frontal_Sup_L 2101\n")
    put("label_table", "tabs_crlf.txt", "# comment\r\n1\tLeft Thalamus\t10\r\n2\tRight Thalamus\r\n\r\n0\tbackground\r\n")
    put("label_table", "dseg.tsv", "index\tname\tabbreviation\n0\tBackground\tBG\n1\tGray Matter\tGM\n2\tWhite Matter\tWM\n")
    put("label_table", "negative.txt", "-5 minus_five\n2147483647 big\n")
    put("label_table", "bad_index.txt", "one Precentral_L\n")


def pipeline_file():
    src = os.path.join(ROOT, "..", "..", "pipelines")
    for name in sorted(os.listdir(src)):
        data = open(os.path.join(src, name), "rb").read()
        if len(data) < 10 * 1024:
            put("pipeline_file", name, data)
    put("pipeline_file", "minimal.yaml",
        "name: minimal\n"
        "version: '1'\n"
        "parameters:\n  fwhm: 6\n"
        "subjects: [01, 02]\n"
        "inputs:\n  t1: data/sub-{subject}/anat/sub-{subject}_T1w.nii.gz\n"
        "steps:\n"
        "  brain:\n"
        "    tool: axon-segment\n"
        "    command: brain\n"
        "    inputs: {input: t1}\n"
        "    outputs:\n      out-mask: brain_mask.nii.gz\n"
        "    options: {threads: 2, fwhm: '{fwhm}'}\n"
        "    resources: {threads: 2, memory: 1.5G}\n"
        "    datatype: anat\n"
        "    report:\n      - {output: out-mask, key: Brain.volume_ml, title: Volume, rows: [a, b]}\n")
    put("pipeline_file", "anchors.yaml",
        "name: &n anchors\nsteps:\n  s1: &step\n    tool: axon-image\n    command: info\n"
        "    outputs: {out: x.json}\n  s2: *step\n")


def model_card():
    card = open(os.path.join(ROOT, "..", "..", "models", "brats-tumour", "card.json")).read()
    import json
    j = json.loads(card)
    j["models"] = ["model.pt"]
    for k in ("training", "cross_validation"):
        j.pop(k, None)
    put("model_card", "brats.json", json.dumps(j, indent=1))
    j2 = dict(j)
    j2["output"] = {"kind": "softmax", "channels": [{"name": "bg", "labels": [0]}, {"name": "brain", "labels": [1]}]}
    j2["inputs"] = ["t1"]
    j2["normalization"] = {"kind": "zscore-nonzero", "clip_percentiles": None}
    j2["orientation"] = ""
    j2.pop("mirror_axes", None)
    put("model_card", "softmax.json", json.dumps(j2))
    put("model_card", "not_object.json", "[1, 2.5e3, \"x\", null, true, {\"a\": -0}]")
    put("model_card", "missing_model.json", json.dumps(dict(j, models=["absent.pt"])))


if __name__ == "__main__":
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    nifti()
    gzip_stream()
    tsv()
    label_table()
    pipeline_file()
    model_card()
    for reader in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, reader))
        print(f"{reader}: {len(files)} files")
    sys.exit(0)
