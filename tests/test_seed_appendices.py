"""Every row of both seed appendices (seed 003: plan 158/KH-UBND 2023; seed 004: Thành phố Nam Định
2021–2025) comes out of a dry run with the right area, numbers, texts, leads, partners and deadline,
from each of the three formats a plan arrives in: the appendix typed into a workbook, the plan as a
Word document (python-docx, merged cells and repeated headers as the seeds show them) and that
document converted to PDF by LibreOffice (tests/documents.py).

The expected table was checked row by row against the appendices in ../shared/seeds/.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.parse import parse_workbook
from samples.plans import PLAN_2023, PLAN_CITY, write_plan

ROOT = Path(__file__).resolve().parent.parent

# (plan, area, task no, output no, output text (start), leads, partners, deadline kind, due dates)
EXPECTED = [
    ('2023', 'I', '1', '1.1', 'Rà soát, hệ thống hóa văn bản QPPL; kịp thời ', ('Các sở, ban, ngành',), ('Sở Tư pháp',), 'continuous', ()),
    ('2023', 'I', '1', '1.2', 'Kịp thời phát hiện và xử lý văn bản QPPL mâu ', ('Các sở, ban, ngành',), ('Sở Tư pháp',), 'continuous', ()),
    ('2023', 'I', '1', '1.3', 'Các văn bản quy phạm pháp luật do HĐND, UBND ', ('Văn phòng Ủy ban nhân dân tỉnh', 'Sở Tư pháp'), ('Các cơ quan, đơn vị có liên quan',), 'continuous', ()),
    ('2023', 'I', '2', '2.1', 'Dự thảo các văn bản QPPL thuộc thẩm quyền ban', ('Các sở, ban, ngành',), ('Các cơ quan, đơn vị có liên quan',), 'once', ('2023-12-31',)),
    ('2023', 'I', '2', '2.2', 'Báo cáo thẩm định văn bản QPPL', ('Sở Tư pháp',), ('Các cơ quan, đơn vị có liên quan',), 'once', ('2023-12-31',)),
    ('2023', 'I', '3', '3.1', 'Xây dựng kế hoạch theo dõi thi hành pháp luật', ('Sở Tư pháp',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-03-31',)),
    ('2023', 'I', '3', '3.2', 'Triển khai hoạt động theo dõi thi hành pháp l', ('Sở Tư pháp',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'I', '4', '4.1', 'Xây dựng kế hoạch PBGDPL, hòa giải ở cơ sở và', ('Sở Tư pháp',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-03-31',)),
    ('2023', 'I', '4', '4.2', 'Triển khai kế hoạch và các hoạt động PBGDPL h', ('Sở Tư pháp',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'continuous', ()),
    ('2023', 'II', '1', '1.1', 'Công bố, cập nhật, công khai các TTHC mới, sử', ('Văn phòng Ủy ban nhân dân tỉnh',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'continuous', ()),
    ('2023', 'II', '1', '1.2', 'Báo cáo tổng hợp kết quả rà soát, đánh giá, k', ('Văn phòng Ủy ban nhân dân tỉnh',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'II', '1', '1.3', 'Cập nhật TTHC trên cơ sở dữ liệu quốc gia về ', ('Văn phòng Ủy ban nhân dân tỉnh', 'Sở Thông tin và Truyền thông'), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'continuous', ()),
    ('2023', 'II', '2', '2.1', 'Ban hành và triển khai đầy đủ, kịp thời các k', ('Các sở, ban, ngành', 'UBND cấp huyện'), (), 'unspecified', ()),
    ('2023', 'II', '2', '2.2', 'Thực thi phương án đơn giản hóa các trường hợ', ('Các sở, ban, ngành', 'UBND cấp huyện'), (), 'unspecified', ()),
    ('2023', 'II', '2', '2.3', 'Tăng cường kiểm tra việc xây dựng, chuẩn hóa ', ('Văn phòng Ủy ban nhân dân tỉnh', 'Sở Thông tin và Truyền thông'), (), 'continuous', ()),
    ('2023', 'II', '3', '3.1', 'Kịp thời xử lý các vướng mắc dẫn đến việc giả', ('Văn phòng Ủy ban nhân dân tỉnh',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'II', '3', '3.2', 'Đẩy mạnh thực hiện giải quyết các TTHC liên t', ('Văn phòng Ủy ban nhân dân tỉnh',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'continuous', ()),
    ('2023', 'II', '3', '3.3', 'Đẩy mạnh thực hiện TTHC trên môi trường điện ', ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'II', '4', '4.1', 'Tăng tỷ lệ dịch vụ công trực tuyến, thanh toá', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'II', '4', '4.2', 'Rà soát, tái cấu trúc quy trình, điện tử hóa ', ('Các sở, ban, ngành', 'UBND cấp huyện'), ('Sở Thông tin và Truyền thông',), 'once', ('2023-12-31',)),
    ('2023', 'II', '4', '4.3', 'Đẩy mạnh số hóa hồ sơ, kết quả giải quyết TTH', ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), ('Sở Thông tin và Truyền thông',), 'once', ('2023-12-31',)),
    ('2023', 'II', '4', '4.4', 'Triển khai xác thực điện tử, tài khoản định d', ('Sở Thông tin và Truyền thông', 'Công an tỉnh'), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'III', '1', None, 'Tiếp tục thực hiện việc sắp xếp tổ chức bên t', ('Các sở, ban, ngành',), ('Sở Nội vụ',), 'once', ('2023-12-31',)),
    ('2023', 'III', '2', '2.1', 'Xây dựng kế hoạch, đề án, chương trình sắp xế', ('Sở Nội vụ',), ('UBND cấp huyện',), 'once', ('2023-12-31',)),
    ('2023', 'III', '2', '2.2', 'Triển khai kế hoạch sắp xếp các đơn vị hành c', ('Sở Nội vụ',), ('UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'III', '3', None, 'Tham mưu sửa đổi, bổ sung, ban hành mới các v', ('Các sở, ban, ngành',), ('Sở Nội vụ',), 'once', ('2023-12-31',)),
    ('2023', 'IV', '1', None, 'Hoàn thiện Đề án vị trí việc làm các cơ quan ', ('Các sở, ban, ngành', 'UBND cấp huyện'), ('Sở Nội vụ',), 'once', ('2023-12-31',)),
    ('2023', 'IV', '2', None, 'Xây dựng và thực hiện tốt cơ chế phối hợp tro', ('Các sở, ban, ngành', 'UBND cấp huyện'), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '3', '3.1', 'Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '3', '3.2', 'Kế hoạch triển khai Đề án "Tăng cường năng lự', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-03-31',)),
    ('2023', 'IV', '3', '3.3', 'Mở các lớp bồi dưỡng kỹ năng, kiến thức chuyê', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '3', '3.4', 'Tổ chức tập huấn, bồi dưỡng cho đội ngũ cán b', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '3', '3.5', 'Tổ chức tập huấn, bồi dưỡng về chuyển đổi số ', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '4', '4.1', 'Xây dựng kế hoạch thanh tra, kiểm tra công tá', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '4', '4.2', 'Tổ chức kiểm tra công tác CCHC tại các cơ qua', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'IV', '4', '4.3', 'Tổ chức kiểm tra công vụ về kỷ luật, kỷ cương', ('Tổ công tác của Chủ tịch UBND tỉnh',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'V', '1', '1.1', 'Tiếp tục đôn đốc các Sở, ban, ngành, đoàn thể', ('Các sở, ban, ngành',), ('Sở Tài chính', 'Các cơ quan, đơn vị có liên quan'), 'once', ('2023-12-31',)),
    ('2023', 'V', '1', '1.2', 'Sửa đổi, bổ sung hoặc ban hành các định mức k', ('Các sở, ban, ngành',), ('Sở Tài chính', 'Các cơ quan, đơn vị có liên quan'), 'once', ('2023-12-31',)),
    ('2023', 'V', '2', None, 'Rà soát, sắp xếp, tổ chức để nâng mức độ tự c', ('Các sở, ban, ngành', 'UBND cấp huyện', 'Các cơ quan, đơn vị có liên quan'), (), 'unspecified', ()),
    ('2023', 'V', '3', '3.1', 'Tổ chức triển khai hiệu quả Luật Quản lý, sử ', ('Sở Tài chính',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'V', '3', '3.2', 'Triển khai thực hiện Quyết định số 22/2021/QĐ', ('Sở Kế hoạch và Đầu tư',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'recurring', ('2023-12-31',)),
    ('2023', 'V', '4', '4.1', 'Xây dựng Kế hoạch thanh tra, kiểm tra về tài ', ('Sở Tài chính',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'V', '4', '4.2', 'Thực hiện các cuộc thanh tra về tài chính - n', ('Sở Tài chính',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '1', '1.1', 'Ban hành Kế hoạch Chuyển đổi số năm 2023', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '1', '1.2', 'Triển khai hoạt động của Tổ công nghệ số cộng', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '1', '1.3', 'Xây dựng kho dữ liệu điện tử dùng chung của t', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '1', '1.4', 'Phát triển thương mại điện tử dựa trên nền tả', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '2', '2.1', 'Phát triển hệ thống thông tin phục vụ sự chỉ ', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND cấp huyện'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '2', '2.2', 'Ban hành quy chế và triển khai hiệu quả Hệ th', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2023-12-31',)),
    ('2023', 'VI', '2', '2.3', 'Xây dựng và áp dụng hệ thống quản lý chất lượ', ('Sở Khoa học và Công nghệ',), ('Các sở, ban, ngành', 'UBND các cấp'), 'recurring', ('2023-12-31',)),
    ('2023', 'VI', '3', '3.1', 'Hoàn thành việc rà soát và cung cấp 100% TTHC', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2022-12-31',)),
    ('2023', 'VI', '3', '3.2', 'Tổ chức triển khai, sử dụng chữ ký số cá nhân', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2022-12-31',)),
    ('2023', 'VI', '3', '3.3', 'Phát triển, tích hợp các ứng dụng thanh toán ', ('Sở Thông tin và Truyền thông',), ('Các cơ quan, đơn vị có liên quan',), 'recurring', ('2023-12-31',)),
    ('2023', 'VI', '3', '3.4', 'Triển khai Hệ thống giám sát, đo lường mức độ', ('Sở Thông tin và Truyền thông',), ('Các sở, ban, ngành', 'UBND các cấp'), 'once', ('2023-12-31',)),
    ('2023', 'VII', '1', None, 'Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC củ', ('Sở Nội vụ',), ('Văn phòng Ủy ban nhân dân tỉnh', 'Sở Tư pháp', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư', 'Sở Thông tin và Truyền thông', 'Sở Khoa học và Công nghệ'), 'once', ('2023-01-19',)),
    ('2023', 'VII', '1', None, 'Triển khai thực hiện điều tra xã hội học trên', ('Sở Nội vụ',), ('Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh', 'Các sở, ban, ngành', 'UBND cấp huyện'), 'unspecified', ()),
    ('2023', 'VII', '2', '1.1', 'Điều chỉnh, bổ sung và duy trì thực hiện Bộ C', ('Sở Nội vụ',), ('Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã'), 'once', ('2023-12-31',)),
    ('2023', 'VII', '2', '1.2', 'Điều chỉnh, bổ sung và duy trì thực hiện Bộ C', ('UBND cấp huyện',), ('UBND cấp xã',), 'once', ('2023-12-31',)),
    ('2023', 'VII', '2', '1.3', 'Thẩm định, thông báo kết quả xác định Chỉ số ', ('Sở Nội vụ',), ('Tổ thẩm định Chỉ số CCHC tỉnh',), 'once', ('2023-12-31',)),
    ('city', 'I', '1', None, 'Quyết định phê duyệt của UBND thành phố', ('Phòng Nội vụ thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'once', ('2021-09-30',)),
    ('city', 'I', '2', None, 'Kế hoạch của UBND thành phố', ('Phòng Văn hóa và Thông tin thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'I', '3', None, 'Quyết định phê duyệt của UBND thành phố', ('Phòng Nội vụ thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-03-31', '2022-03-31', '2023-03-31', '2024-03-31', '2025-03-31')),
    ('city', 'II', '4', None, 'Kế hoạch', ('Phòng Tư pháp thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-03-31', '2022-03-31', '2023-03-31', '2024-03-31', '2025-03-31')),
    ('city', 'II', '5', None, 'Kế hoạch', ('Phòng Tư pháp thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-03-31', '2022-03-31', '2023-03-31', '2024-03-31', '2025-03-31')),
    ('city', 'II', '6', None, 'Báo cáo', ('Phòng Tư pháp thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'II', '7', None, 'Báo cáo', ('Phòng Tư pháp thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'II', '8', None, 'Quyết định', ('Phòng Tư pháp thành phố Nam Định',), ('Các phòng chuyên môn',), 'recurring', ('2021-01-31', '2022-01-31', '2023-01-31', '2024-01-31', '2025-01-31')),
    ('city', 'III', '9', None, 'Kế hoạch', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'III', '10', None, 'Quyết định', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'IV', '11', None, 'Quyết định của UBND thành phố', ('Phòng Nội vụ thành phố Nam Định',), ('Các phòng chuyên môn', 'Các đơn vị sự nghiệp công lập'), 'once', ('2022-12-31',)),
    ('city', 'IV', '12', None, 'Kế hoạch', ('Phòng Nội vụ thành phố Nam Định', 'Phòng Tài chính - Kế hoạch thành phố Nam Định'), ('Các sở, ban, ngành', 'Các đơn vị sự nghiệp công lập'), 'once', ('2025-12-31',)),
    ('city', 'V', '13', None, 'Kế hoạch', ('Phòng Nội vụ thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'V', '14', None, 'Văn bản triển khai', ('Phòng Nội vụ thành phố Nam Định',), ('Các phòng chuyên môn', 'Các đơn vị sự nghiệp công lập', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'VI', '15', None, 'Quyết định phân bổ dự toán ngân sách; Báo cáo', ('Phòng Tài chính - Kế hoạch thành phố Nam Định',), ('Các phòng chuyên môn', 'Các đơn vị sự nghiệp công lập', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'VII', '16', None, 'Kế hoạch', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
    ('city', 'VII', '17', None, 'Kế hoạch', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'Các đơn vị sự nghiệp công lập', 'UBND cấp xã'), 'once', ('2025-12-31',)),
    ('city', 'VII', '18', None, 'Báo cáo', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'continuous', ()),
    ('city', 'VII', '19', None, 'Cổng thông tin điện tử thành phố và Trang thô', ('Văn phòng HĐND và UBND thành phố Nam Định', 'UBND cấp xã'), (), 'continuous', ()),
    ('city', 'VII', '20', None, 'Kế hoạch', ('Văn phòng HĐND và UBND thành phố Nam Định',), ('Các phòng chuyên môn', 'UBND cấp xã'), 'recurring', ('2021-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31')),
]


FORMATS = ("xlsx", "docx", "pdf")


@pytest.fixture(scope="module", params=FORMATS)
def parsed(request, tmp_path_factory, seed_documents):
    fmt = request.param
    if fmt == "xlsx":
        d = tmp_path_factory.mktemp("seedplans")
        out = {"2023": parse_workbook(write_plan(PLAN_2023, d / "p2023.xlsx")),
               "city": parse_workbook(write_plan(PLAN_CITY, d / "p356.xlsx"))}
    else:
        make = seed_documents.docx if fmt == "docx" else seed_documents.pdf
        out = {"2023": parse_workbook(make("003")), "city": parse_workbook(make("004"))}
    out["format"] = fmt
    assert all(out[k].kind == fmt for k in ("2023", "city"))
    return out


def _rows(parsed) -> list[tuple]:
    out = []
    for name in ("2023", "city"):
        for o in parsed[name].outputs:
            out.append((name, o.area_no, o.task_no, o.output_no, o.output[:45], tuple(x.name for x in o.leads),
                        tuple(x.name for x in o.partners), o.deadline.kind, tuple(d.isoformat() for d in o.deadline.due_dates)))
    return out


def test_row_count(parsed):
    assert len(parsed["2023"].outputs) == 59
    assert len(parsed["city"].outputs) == 20


@pytest.mark.parametrize("index", range(len(EXPECTED)))
def test_each_seed_row(parsed, index):
    assert _rows(parsed)[index] == EXPECTED[index]


def test_plan_metadata_from_title_block(parsed):
    """A workbook's title block is the appendix's; a document's is its head ("Số: 158/KH-UBND",
    "Nam Định, ngày 30 tháng 12 năm 2022", "KẾ HOẠCH …"), read from the text, not the file name."""
    m = parsed["2023"].meta
    assert (m.unit, m.period, m.number, m.issued_on.isoformat()) == ("36", (2023, 2023), "158/KH-UBND", "2022-12-30")
    c = parsed["city"].meta
    assert (c.unit, c.period, c.number, c.issued_on) == ("356", (2021, 2025), None, None)
    if parsed["format"] == "xlsx":
        assert m.title.startswith("NHIỆM VỤ CỤ THỂ THEO TỪNG LĨNH VỰC")
    else:
        assert m.title == "Kế hoạch Cải cách hành chính tỉnh Nam Định năm 2023"
        assert c.title == "Kế hoạch Nâng cao Chỉ số cải cách hành chính (PAR INDEX) thành phố Nam Định giai đoạn 2021-2025"
        assert "158" not in parsed["2023"].file_name  # the number came from the text


def test_no_errors_and_only_the_expected_warnings(parsed):
    assert parsed["2023"].errors == [] and parsed["city"].errors == []
    warnings_2023 = sorted((w.row, w.column) for w in parsed["2023"].warnings)
    assert all(col == "F" for _, col in warnings_2023) and len(warnings_2023) == 2  # "Năm 2022" in a 2023 plan
    city = parsed["city"].warnings
    assert len(city) == 1 and "05" in city[0].message  # "UBND 05 phường, xã" names 5 of the city's communes


def test_task_text_is_carried_to_every_output(parsed):
    outs = [o for o in parsed["2023"].outputs if o.area_no == "I" and o.task_no == "1"]
    assert {o.task for o in outs} == {"Rà soát, hệ thống hóa VBQPPL"}
    assert [o.output_no for o in outs] == ["1.1", "1.2", "1.3"]


def test_raw_texts_are_kept(parsed):
    o = next(o for o in parsed["2023"].outputs if o.output_no == "2.3" and o.area_no == "II")
    assert o.lead_text == "VP.UBND tỉnh; Sở Thông tin và Truyền thông"
    assert o.deadline.text == "Thường xuyên"


def test_cli_dry_run_json_contract(tmp_path):
    path = write_plan(PLAN_CITY, tmp_path / "city.xlsx")
    proc = subprocess.run([sys.executable, "manage.py", "import", str(path), "--dry-run", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1  # exactly one JSON object
    out = json.loads(lines[0])
    assert set(out) == {"ok", "plan", "sheets", "tasks", "errors", "warnings", "targets",
                        "columns", "progress", "values", "scores", "questions"}  # issue 10 added the last five
    assert out["targets"] == []  # a workbook's catalogue sheets are imported as they are, not proposed
    assert out["ok"] is True
    assert out["plan"] == {"unit": "Thành phố Nam Định", "period": [2021, 2025],
                           "title": "DANH MỤC CÁC NHIỆM VỤ NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"}
    assert out["sheets"] == [{"name": "Phụ lục", "kind": "plan_tasks", "rows": 20}]
    first = out["tasks"][0]
    assert set(first) == {"sheet", "row", "area", "task_no", "task", "output_no", "output", "leads", "partners", "deadline"}
    assert first["row"] == 10 and first["area"] == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert first["leads"] == [{"name": "Phòng Nội vụ thành phố Nam Định", "group": False}]
    assert first["partners"] == [{"name": "Các phòng chuyên môn", "group": True}, {"name": "UBND cấp xã", "group": True}]
    assert first["deadline"] == {"text": "Quý III năm 2021", "kind": "once", "due_dates": ["2021-09-30"]}
    assert set(out["warnings"][0]) == {"sheet", "row", "column", "message"}


def test_cli_override_and_exit_codes(tmp_path):
    path = write_plan(PLAN_CITY, tmp_path / "city.xlsx")
    run = lambda *a: subprocess.run([sys.executable, "manage.py", *a], cwd=ROOT, capture_output=True, text=True, timeout=120)  # noqa: E731
    p = run("import", str(path), "--unit", "361", "--period", "2022-2024", "--dry-run", "--json")
    out = json.loads(p.stdout)
    assert out["plan"]["unit"] == "Huyện Nghĩa Hưng" and out["plan"]["period"] == [2022, 2024]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    p = run("import", str(bad), "--dry-run", "--json")
    assert p.returncode == 1 and json.loads(p.stdout)["ok"] is False
    assert run("import", str(path), "--period", "20x", "--dry-run", "--json").returncode == 2
    assert run("frobnicate").returncode == 2
